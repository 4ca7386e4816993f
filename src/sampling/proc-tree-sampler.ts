import { performance } from 'node:perf_hooks'
import { cpuPercent } from './cpu-percent.js'
import { ProcTreeReader, type ProcTreeSnapshot } from './proc-tree-reader.js'
import type { RootPid } from './root-pid.js'
import { oneAtATime, type ResourceSample, type Sampler } from './sampler.js'
import { procConstants } from './system-constants.js'
import { treeCpuDeltaSeconds, type TreeCpu } from './tree-cpu.js'

/** Options shared by the process samplers. */
export interface ProcessSamplerOptions {
  /** Monotonic milliseconds; `performance.now` unless a test fixes time. */
  clock?: () => number
}

/** Linux: CPU and memory of a whole process tree, read from `/proc` on every sample. */
export class ProcTreeSampler implements Sampler {
  readonly kind = 'process-tree'
  readonly source: string
  readonly sample: () => Promise<ResourceSample | undefined>
  private previousCpu: TreeCpu
  private previousAtMs: number
  private rootStartTicks: number

  private constructor (private readonly root: RootPid, private readonly reader: ProcTreeReader,
    baseline: ProcTreeSnapshot | undefined, private readonly clock: () => number) {
    this.source = `process tree of ${root.description}`
    this.previousCpu = baseline?.cpu ?? new Map()
    this.previousAtMs = clock()
    this.rootStartTicks = baseline?.rootStartTicks ?? -1
    this.sample = oneAtATime(() => this.read())
  }

  /** Takes the CPU baseline the first sample is measured against. */
  static async create (root: RootPid, options: ProcessSamplerOptions = {}): Promise<ProcTreeSampler> {
    const reader = new ProcTreeReader(await procConstants())
    const pid = await root.current()
    const baseline = pid === undefined ? undefined : reader.snapshot(pid)
    return new ProcTreeSampler(root, reader, baseline, options.clock ?? (() => performance.now()))
  }

  /** Nothing to release: every sample opens and closes its own files. */
  async close (): Promise<void> {}

  private async read (): Promise<ResourceSample | undefined> {
    const pid = await this.root.current()
    const snapshot = pid === undefined ? undefined : this.reader.snapshot(pid)
    const atMs = this.clock()
    if (snapshot === undefined) return undefined
    // a fixed pid that now belongs to another process: the monitored one is gone
    if (!this.root.followsRestarts && this.rootStartTicks >= 0 && snapshot.rootStartTicks !== this.rootStartTicks) return undefined
    this.rootStartTicks = snapshot.rootStartTicks
    const usedSeconds = treeCpuDeltaSeconds(this.previousCpu, snapshot.cpu)
    const wallMs = atMs - this.previousAtMs
    this.previousCpu = snapshot.cpu
    this.previousAtMs = atMs
    return { rssBytes: snapshot.rssBytes, cpuPercent: cpuPercent(usedSeconds, wallMs), processes: snapshot.processes }
  }
}
