/**
 * How fast and how long a shadow run sends: from `--rate`, `--duration` and `--requests`, or from the scenario's
 * phases (open-model phases keep their rates and durations, closed-model phases run at a fixed rate, idle phases are
 * skipped). Every phase has an end, so the run does too.
 */

import { CutoverError } from '../core/errors.js'
import type { ScenarioConfig } from '../scenario/schema/scenario.js'

/** One stretch of shadow traffic: arrivals per second from `fromRate` to `toRate` over `durationMs`. */
export interface ShadowPhase {
  name: string
  durationMs: number
  fromRate: number
  toRate: number
}

/** The whole plan. */
export interface ShadowPlan {
  phases: ShadowPhase[]
  /** Stop after this many shadowed requests. */
  maxRequests: number | undefined
  /** Where the figures came from, for the summary. */
  source: 'flags' | 'phases'
}

/** Rate when only `--duration` is given. */
export const defaultShadowRate = 20
/** Duration when only `--rate` is given. */
export const defaultShadowDurationMs = 30_000
/** Rate used for a closed-model phase: a shadow run paces its requests, it does not saturate the services. */
export const closedPhaseShadowRate = 20
/** Highest `--rate`: each arrival is three requests. */
export const maxShadowRate = 10_000

/** Flags that override the phases. */
export interface ShadowPlanFlags {
  ratePerSec?: number | undefined
  durationMs?: number | undefined
  requests?: number | undefined
}

/** Arrivals the plan schedules (before `maxRequests`). */
export function plannedArrivals (phases: readonly ShadowPhase[]): number {
  return phases.reduce((sum, phase) => sum + Math.floor(((phase.fromRate + phase.toRate) / 2) * (phase.durationMs / 1000) + 1e-9), 0)
}

/** Total planned duration in ms. */
export function plannedDurationMs (phases: readonly ShadowPhase[]): number {
  return phases.reduce((sum, phase) => sum + phase.durationMs, 0)
}

/** The plan from flags, else from the scenario's phases. */
export function planShadow (phases: ScenarioConfig['phases'], flags: ShadowPlanFlags = {}): ShadowPlan {
  const { ratePerSec, durationMs, requests } = flags
  if (ratePerSec !== undefined && (!(ratePerSec > 0) || ratePerSec > maxShadowRate)) {
    throw new CutoverError('USAGE', `--rate expects arrivals per second between 0 and ${maxShadowRate}, got ${ratePerSec}`)
  }
  if (durationMs !== undefined && !(durationMs > 0)) throw new CutoverError('USAGE', '--duration must be longer than 0')
  if (requests !== undefined && (!Number.isInteger(requests) || requests < 1)) throw new CutoverError('USAGE', `--requests expects a whole number of at least 1, got ${requests}`)
  if (ratePerSec !== undefined || durationMs !== undefined) {
    const rate = ratePerSec ?? defaultShadowRate
    // --requests with --rate alone: long enough for them, plus a second
    const duration = durationMs ?? (requests !== undefined && ratePerSec !== undefined ? Math.ceil((requests / rate) * 1000) + 1000 : defaultShadowDurationMs)
    return { phases: [{ name: 'shadow', durationMs: duration, fromRate: rate, toRate: rate }], maxRequests: requests, source: 'flags' }
  }
  const planned: ShadowPhase[] = []
  for (const phase of phases) {
    if (phase.connections !== undefined) {
      planned.push({ name: phase.name, durationMs: phase.duration, fromRate: closedPhaseShadowRate, toRate: closedPhaseShadowRate })
      continue
    }
    const rate = phase.rate ?? 0
    const [fromRate, toRate] = typeof rate === 'number' ? [rate, rate] : [rate.from, rate.to]
    if (fromRate === 0 && toRate === 0) continue
    planned.push({ name: phase.name, durationMs: phase.duration, fromRate, toRate })
  }
  if (plannedArrivals(planned) === 0) {
    throw new CutoverError('SHADOW_CONFIG', 'the scenario\'s phases send nothing to shadow', { hint: 'pass --rate and --duration, e.g. --rate 20 --duration 30s' })
  }
  return { phases: planned, maxRequests: requests, source: 'phases' }
}
