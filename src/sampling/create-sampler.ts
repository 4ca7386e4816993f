import { resolve } from 'node:path'
import { CgroupSampler } from './cgroup-sampler.js'
import { PidusageSampler } from './pidusage-sampler.js'
import { ProcTreeSampler } from './proc-tree-sampler.js'
import { PrometheusSampler } from './prometheus-sampler.js'
import { fixedRootPid, pidFileRootPid, type RootPid } from './root-pid.js'
import type { Sampler } from './sampler.js'

/** A target's `monitor` block once the scenario is parsed (sizes already in bytes). */
export type MonitorConfig =
  | { pid: number, memoryLimit?: number }
  | { pidFile: string, memoryLimit?: number }
  | { prometheus: string, metrics?: string[], memoryLimit?: number }
  | { cgroup: string, memoryLimit?: number }
  | { memoryLimit: number }

/** What every sampler is created with. */
export interface CreateSamplerOptions {
  /** The sampling interval; a Prometheus scrape may take this long (at least 500 ms) before it counts as missing. */
  intervalMs: number
  /** Folder relative `pidFile` and `cgroup` paths are taken from: the scenario file's. Default: the working directory. */
  baseDir?: string
  /** Decides between `/proc` (linux) and pidusage; default `process.platform`. */
  platform?: NodeJS.Platform
  /** Monotonic milliseconds; `performance.now` unless a test fixes time. */
  clock?: () => number
}

/**
 * The sampler a target's `monitor` asks for: `pid` / `pidFile` → its process tree, `prometheus` → a scrape,
 * `cgroup` → cgroup v2 files; no source (or only `memoryLimit`) → the tree of the process cutover started,
 * undefined when it started none. Process trees are read from `/proc` on Linux, through pidusage elsewhere.
 * `monitor.memoryLimit` is put on every sample and wins over a cgroup's `memory.max`.
 * Throws `TARGET_UNREACHABLE` when the source cannot be read now.
 */
export async function createSampler (monitor: MonitorConfig | undefined, startedPid: number | undefined, options: CreateSamplerOptions): Promise<Sampler | undefined> {
  const sampler = await samplerFor(monitor, startedPid, options)
  const memoryLimitBytes = monitor?.memoryLimit
  return sampler === undefined || memoryLimitBytes === undefined ? sampler : withMemoryLimit(sampler, memoryLimitBytes)
}

async function samplerFor (monitor: MonitorConfig | undefined, startedPid: number | undefined, options: CreateSamplerOptions): Promise<Sampler | undefined> {
  const baseDir = options.baseDir ?? process.cwd()
  const clock = options.clock === undefined ? {} : { clock: options.clock }
  const processTree = (root: RootPid): Promise<Sampler> => (options.platform ?? process.platform) === 'linux'
    ? ProcTreeSampler.create(root, clock)
    : PidusageSampler.create(root, clock)
  if (monitor !== undefined) {
    if ('pid' in monitor) return processTree(fixedRootPid(monitor.pid))
    if ('pidFile' in monitor) return processTree(await pidFileRootPid(resolve(baseDir, monitor.pidFile)))
    if ('prometheus' in monitor) {
      return PrometheusSampler.create(monitor.prometheus, { timeoutMs: Math.max(500, options.intervalMs), metrics: monitor.metrics ?? [], ...clock })
    }
    if ('cgroup' in monitor) return CgroupSampler.create(monitor.cgroup, { baseDir, ...clock })
  }
  return startedPid === undefined ? undefined : processTree(fixedRootPid(startedPid))
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
