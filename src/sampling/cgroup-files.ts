import { readKernelFile } from './kernel-file.js'

/** The figures of a cgroup v2 directory the cgroup sampler uses. */
export interface CgroupReading {
  /** `memory.current`: all memory charged to the cgroup, page cache included. */
  memoryBytes: number
  /** `cpu.stat` `usage_usec`, in seconds. */
  cpuSeconds: number
  /** `memory.max`; undefined when it is `max` (no limit) or the file is absent. */
  memoryMaxBytes?: number
  /** Lines of `cgroup.procs`; undefined when the file is absent. */
  processes?: number
}

/** `usage_usec` of a `cpu.stat` file, in microseconds; undefined when absent. */
export function parseCpuStatUsageUsec (text: string): number | undefined {
  const match = /^usage_usec\s+(\d+)\s*$/m.exec(text)
  return match === null ? undefined : Number(match[1])
}

/** Bytes of a `memory.max` (or `memory.current`) file; undefined for `max` or anything that is not a number. */
export function parseMemoryBytes (text: string): number | undefined {
  const trimmed = text.trim()
  return /^\d+$/.test(trimmed) ? Number(trimmed) : undefined
}

/** Reads the cgroup at `dir` (synchronously, see kernel-file.ts); undefined when `memory.current` or `cpu.stat` cannot be read (the cgroup is gone). */
export function readCgroup (dir: string): CgroupReading | undefined {
  const [current, cpuStat, max, procs] = ['memory.current', 'cpu.stat', 'memory.max', 'cgroup.procs'].map((file) => readKernelFile(`${dir}/${file}`))
  const memoryBytes = current === undefined ? undefined : parseMemoryBytes(current)
  const usageUsec = cpuStat === undefined ? undefined : parseCpuStatUsageUsec(cpuStat)
  if (memoryBytes === undefined || usageUsec === undefined) return undefined
  const reading: CgroupReading = { memoryBytes, cpuSeconds: usageUsec / 1e6 }
  const memoryMaxBytes = max === undefined ? undefined : parseMemoryBytes(max)
  if (memoryMaxBytes !== undefined) reading.memoryMaxBytes = memoryMaxBytes
  if (procs !== undefined) reading.processes = procs.split('\n').filter((line) => line.trim() !== '').length
  return reading
}
