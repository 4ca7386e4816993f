/**
 * Whether the proxy's event loop is busy enough that mirroring would delay callers: mirror requests and their
 * reconciliation run on the same thread as callers' requests, so the mirror yields when the loop's utilization
 * (the share of time it was not idle, Node's eventLoopUtilization) over the last quarter second is high, and comes
 * back when it has fallen below three quarters of that (hysteresis, so it does not flap). `proxy.mirrorYield` sets the
 * threshold, or `off`. Callers are never shed; mirror requests are, and counted.
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks'

/** Utilization at or above which the mirror stops taking requests, by default (`proxy.mirrorYield`). */
export const busyAbove = 0.8
/** It takes them again below this share of the threshold. */
export const idleShare = 0.75
/** How often utilization is read. */
const readEveryMs = 250

/** The next busy state from the last one and a utilization reading (pure, for tests). */
export function nextBusy (busy: boolean, utilization: number, above = busyAbove): boolean {
  return busy ? utilization >= idleShare * above : utilization >= above
}

/** Reads the loop's utilization every quarter second while started. */
export class BusyGauge {
  busy = false
  private last: EventLoopUtilization | undefined
  private timer: NodeJS.Timeout | undefined

  /** Busy at `above` utilization (0.8 for 80%); `onChange` hears every change of state. */
  constructor (private readonly above = busyAbove, private readonly onChange: (busy: boolean) => void = () => {}) {}

  start (): void {
    this.last = performance.eventLoopUtilization()
    this.timer = setInterval(() => {
      const now = performance.eventLoopUtilization()
      const busy = nextBusy(this.busy, performance.eventLoopUtilization(now, this.last).utilization, this.above)
      this.last = now
      if (busy === this.busy) return
      this.busy = busy
      this.onChange(busy)
    }, readEveryMs)
    this.timer.unref()
  }

  stop (): void {
    if (this.timer !== undefined) clearInterval(this.timer)
    this.timer = undefined
    this.busy = false
  }
}
