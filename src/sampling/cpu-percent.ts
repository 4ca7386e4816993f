/** CPU percent of one core from cumulative CPU counters. */

/** `cpuSeconds` used over `wallMs` of wall time, in percent of one core; 0 when no time passed. */
export function cpuPercent (cpuSeconds: number, wallMs: number): number {
  if (!(wallMs > 0) || !(cpuSeconds > 0)) return 0
  return cpuSeconds / (wallMs / 1000) * 100
}

/** Follows one cumulative CPU-seconds counter (cgroup `usage_usec`, Prometheus `process_cpu_seconds_total`). */
export class CpuCounter {
  private lastSeconds: number
  private lastAtMs: number

  constructor (initialSeconds: number, atMs: number) {
    this.lastSeconds = initialSeconds
    this.lastAtMs = atMs
  }

  /** Percent of one core since the previous reading. A counter that went down was reset (a restart): its whole value is new CPU, as Prometheus `rate()` assumes. */
  next (cumulativeSeconds: number, atMs: number): number {
    const usedSeconds = cumulativeSeconds >= this.lastSeconds ? cumulativeSeconds - this.lastSeconds : cumulativeSeconds
    const percent = cpuPercent(usedSeconds, atMs - this.lastAtMs)
    this.lastSeconds = cumulativeSeconds
    this.lastAtMs = atMs
    return percent
  }
}
