import { monitorSources, type MonitorConfig } from './monitors.js'
import type { SamplerContext } from './monitor-source.js'
import { processTreeSampler } from './process-tree-sampler.js'
import { fixedRootPid } from './root-pid.js'
import type { Sampler } from './sampler.js'

/** What every sampler is created with; `baseDir` defaults to the working directory, `platform` to this one's. */
export type CreateSamplerOptions = Partial<Pick<SamplerContext, 'baseDir' | 'platform'>> & Omit<SamplerContext, 'baseDir' | 'platform'>

/**
 * The sampler a target's `monitor` asks for (the source whose key the block holds, see monitors.ts); no source (or
 * only `memoryLimit`) → the tree of the process cutover started, undefined when it started none.
 * `monitor.memoryLimit` is put on every sample and wins over a cgroup's `memory.max`.
 * Throws `TARGET_UNREACHABLE` when the source cannot be read now.
 */
export async function createSampler (monitor: MonitorConfig | undefined, startedPid: number | undefined, options: CreateSamplerOptions): Promise<Sampler | undefined> {
  const context: SamplerContext = { ...options, baseDir: options.baseDir ?? process.cwd(), platform: options.platform ?? process.platform }
  const source = monitor === undefined ? undefined : monitorSources.find((candidate) => candidate.key in monitor)
  const sampler = source !== undefined
    ? await source.create(monitor as never, context)
    : startedPid === undefined ? undefined : await processTreeSampler(fixedRootPid(startedPid), context)
  const memoryLimitBytes = monitor?.memoryLimit
  return sampler === undefined || memoryLimitBytes === undefined ? sampler : withMemoryLimit(sampler, memoryLimitBytes)
}

/** The same sampler, with `memoryLimitBytes` set on every sample. */
export function withMemoryLimit (sampler: Sampler, memoryLimitBytes: number): Sampler {
  return {
    kind: sampler.kind,
    source: sampler.source,
    sample: async () => {
      const sample = await sampler.sample()
      return sample === undefined ? undefined : { ...sample, memoryLimitBytes }
    },
    close: () => sampler.close()
  }
}
