import { isAbsolute, join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { CutoverError } from '../core/errors.js'
import { readCgroup } from './cgroup-files.js'
import { CpuCounter } from './cpu-percent.js'
import { oneAtATime, type ResourceSample, type Sampler } from './sampler.js'

/** Options of a cgroup sampler. */
export interface CgroupSamplerOptions {
  /** Folder a relative path is taken from (the scenario file's). */
  baseDir?: string
  /** Where cgroup v2 is mounted; `/sys/fs/cgroup`. */
  cgroupRoot?: string
  /** Monotonic milliseconds; `performance.now` unless a test fixes time. */
  clock?: () => number
}

/**
 * cgroup v2 (a container, a systemd unit): memory from `memory.current`, which includes the page cache the cgroup
 * is charged for, so it reads higher than the processes' RSS; CPU percent from the growth of `cpu.stat` `usage_usec`;
 * the limit from `memory.max`. cgroup v1 is not supported.
 */
export class CgroupSampler implements Sampler {
  readonly kind = 'cgroup'
  readonly source: string
  readonly sample: () => Promise<ResourceSample | undefined>
  private readonly cpu: CpuCounter

  private constructor (private readonly dir: string, cpuSeconds: number, private readonly clock: () => number) {
    this.source = `cgroup ${dir}`
    this.cpu = new CpuCounter(cpuSeconds, clock())
    this.sample = oneAtATime(() => this.read())
  }

  /**
   * Finds the cgroup directory and takes the CPU baseline. `path` is the directory itself, or the cgroup's path as in
   * `/proc/PID/cgroup` (`/system.slice/app.service`), taken under the cgroup root.
   */
  static async create (path: string, options: CgroupSamplerOptions = {}): Promise<CgroupSampler> {
    const cgroupRoot = options.cgroupRoot ?? '/sys/fs/cgroup'
    const candidates = [...new Set([isAbsolute(path) ? path : resolve(options.baseDir ?? process.cwd(), path), join(cgroupRoot, path)])]
    for (const dir of candidates) {
      const reading = readCgroup(dir)
      if (reading !== undefined) return new CgroupSampler(dir, reading.cpuSeconds, options.clock ?? (() => performance.now()))
    }
    throw new CutoverError('TARGET_UNREACHABLE', `No cgroup v2 with memory.current and cpu.stat at ${candidates.join(' or ')}`, {
      hint: 'Give the cgroup directory (e.g. /sys/fs/cgroup/system.slice/app.service) or the path shown in /proc/PID/cgroup after "0::"; cgroup v1 is not supported'
    })
  }

  /** Nothing to release. */
  async close (): Promise<void> {}

  private async read (): Promise<ResourceSample | undefined> {
    const reading = readCgroup(this.dir)
    const atMs = this.clock()
    if (reading === undefined) return undefined
    const sample: ResourceSample = { rssBytes: reading.memoryBytes, cpuPercent: this.cpu.next(reading.cpuSeconds, atMs) }
    if (reading.processes !== undefined) sample.processes = reading.processes
    if (reading.memoryMaxBytes !== undefined) sample.memoryLimitBytes = reading.memoryMaxBytes
    return sample
  }
}
