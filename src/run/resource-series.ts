import type { TargetMemory } from '../analysis/leak-for-run.js'
import type { ResourceUsage } from '../core/result-types.js'
import { summarizeResources } from '../sampling/resource-summary.js'
import type { ResourceSample } from '../sampling/sampler.js'

/** One resource sample with seconds since the run's start, the phase and the load then. */
interface TimedSample {
  t: number
  sample: ResourceSample
  phase: string
  load: number
}

/** A target's CPU and memory samples, one per interval: bounded by the run's length. */
export class ResourceSeries {
  private readonly entries: TimedSample[] = []

  /** Keeps one interval's sample. */
  add (t: number, sample: ResourceSample, phase: string, load: number): void {
    this.entries.push({ t, sample, phase, load })
  }

  /** True when at least two samples were taken and none of them carried a heap figure. */
  get neverSawHeap (): boolean {
    return this.entries.length >= 2 && this.entries.every((entry) => entry.sample.heapBytes === undefined)
  }

  private get memoryLimitBytes (): number | undefined {
    return this.entries.find((entry) => entry.sample.memoryLimitBytes !== undefined)?.sample.memoryLimitBytes
  }

  /** Mean CPU percent and RSS of the samples taken since `sinceSec` (seconds from the run's start). */
  since (sinceSec: number): { cpuPercent: number, rssBytes: number } | undefined {
    const recent = this.entries.filter((entry) => entry.t >= sinceSec)
    if (recent.length === 0) return undefined
    return {
      cpuPercent: recent.reduce((sum, entry) => sum + entry.sample.cpuPercent, 0) / recent.length,
      rssBytes: recent.reduce((sum, entry) => sum + entry.sample.rssBytes, 0) / recent.length
    }
  }

  /** The memory series the leak analysis judges, with the memory limit when one is known. */
  memory (target: string): TargetMemory {
    return {
      target,
      samples: this.entries.map((entry) => ({ tSec: entry.t, rssBytes: entry.sample.rssBytes, heapBytes: entry.sample.heapBytes, heapCommittedBytes: entry.sample.heapCommittedBytes, phase: entry.phase, load: entry.load })),
      memoryLimitBytes: this.memoryLimitBytes
    }
  }

  /** result.json `resources`, naming the sampler's source; undefined without samples. */
  usage (source: string): ResourceUsage | undefined {
    const summary = summarizeResources(this.entries.map((entry) => entry.sample))
    if (summary === undefined) return undefined
    const limit = this.memoryLimitBytes
    return { ...summary, source, ...(limit === undefined ? {} : { memoryLimitBytes: limit }) }
  }
}
