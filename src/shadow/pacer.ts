/**
 * Paces shadowed requests on the plan's open-model schedule: arrivals at their intended times, at most `maxInFlight`
 * outstanding (later arrivals are dropped and counted), stopping at the plan's end, after `maxRequests`, when the
 * source runs dry, or when asked to. Outstanding requests are then awaited for a bounded time.
 */

import { performance } from 'node:perf_hooks'
import { setImmediate as yieldToIo, setTimeout as sleep } from 'node:timers/promises'
import { arrivalSchedule } from '../plan/arrivals.js'
import type { ShadowPhase, ShadowPlan } from './plan.js'

/** Default limit of outstanding shadowed requests (each is three HTTP calls). */
export const defaultMaxInFlight = 256

/** What the pacer calls. */
export interface PacerHooks {
  /** The next request's job, or undefined when the source is dry. `intendedMs` is its performance.now() due time. */
  launch: (intendedMs: number) => Promise<void> | undefined
  /** True when the run must stop sending (a target died, Ctrl-C). */
  shouldStop: () => boolean
  phaseStarted?: (phase: ShadowPhase, nowMs: number) => void
  phaseEnded?: (phase: ShadowPhase, nowMs: number) => void
}

/** What the pacer did. */
export interface PacerResult {
  sent: number
  dropped: number
  /** True when the source ran dry before the plan ended. */
  exhausted: boolean
  /** Requests still outstanding when the drain time ran out. */
  abandoned: number
}

async function waitUntil (dueMs: number, signal: AbortSignal): Promise<void> {
  const delay = dueMs - performance.now()
  if (delay <= 1) return
  await sleep(delay, undefined, { signal }).catch(() => {})
}

/** Runs the plan; resolves when every request has settled or `drainLimitMs` after the last was sent. */
export async function pace (plan: ShadowPlan, hooks: PacerHooks, signal: AbortSignal, drainLimitMs: number, maxInFlight = defaultMaxInFlight): Promise<PacerResult> {
  const inFlight = new Set<Promise<void>>()
  let sent = 0
  let dropped = 0
  let exhausted = false
  const done = (): boolean => signal.aborted || exhausted || hooks.shouldStop() || (plan.maxRequests !== undefined && sent >= plan.maxRequests)
  for (const phase of plan.phases) {
    if (done()) break
    const schedule = arrivalSchedule(phase.fromRate, phase.toRate, phase.durationMs)
    const startMs = performance.now()
    hooks.phaseStarted?.(phase, startMs)
    let sinceYield = 0
    for (let k = 0; k < schedule.count; k++) {
      const dueMs = startMs + schedule.timeOfMs(k)
      if (dueMs - performance.now() > 1) {
        await waitUntil(dueMs, signal)
        sinceYield = 0
      } else if (++sinceYield >= 32) {
        // behind schedule: still let answers in now and then
        await yieldToIo()
        sinceYield = 0
      }
      if (done()) break
      if (inFlight.size >= maxInFlight) {
        dropped++
        continue
      }
      const job = hooks.launch(dueMs)
      if (job === undefined) {
        exhausted = true
        break
      }
      sent++
      const tracked: Promise<void> = job.catch(() => {}).finally(() => { inFlight.delete(tracked) })
      inFlight.add(tracked)
    }
    if (!done()) await waitUntil(startMs + phase.durationMs, signal)
    hooks.phaseEnded?.(phase, performance.now())
  }
  const limit = signal.aborted ? Math.min(drainLimitMs, 1000) : drainLimitMs
  let timer: NodeJS.Timeout | undefined
  await Promise.race([
    Promise.allSettled([...inFlight]),
    new Promise<void>((resolve) => { timer = setTimeout(resolve, limit) })
  ])
  clearTimeout(timer)
  return { sent, dropped, exhausted, abandoned: inFlight.size }
}
