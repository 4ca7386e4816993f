import type { PhaseSummary } from '../core/result-types.js'
import type { LimitedBy } from '../plan/capacity.js'
import type { SloLimits } from '../scenario/schema/checks.js'
import { defaultBehindRate } from './slo.js'

/** The SLO a capacity search uses when the scenario sets none. */
export const defaultCapacitySlo: SloLimits = { p99: 500, errorRate: 0.01 }

const latencyKeys = ['p50', 'p90', 'p95', 'p99', 'p999', 'max', 'mean'] as const

/** Percentiles the generator's send lag is known at, to take it out of the latency it was part of. */
const lagAt: Partial<Record<typeof latencyKeys[number], 'p50' | 'p99' | 'max'>> = { p50: 'p50', p99: 'p99', p999: 'max', max: 'max' }

/**
 * Whether one step of a capacity search held, and if not, what broke first: the service (errors, latency) or the
 * generator. Latency is measured from each request's intended send time, so a generator that sends late adds its lag
 * to it. The service is blamed when its errors break the budget, or when its latency breaks the SLO even with the
 * generator's lag taken out (latency − send lag at the same percentile, a lower bound of the service's own part).
 * The generator is blamed when the latency breach is its lag, or when it could not offer the rate at all (arrivals
 * dropped at its in-flight limit with the SLO held). Sends that left late while every request still met the SLO do
 * not fail a step: the service held the load it was offered.
 */
export function judgeCapacityStep (step: PhaseSummary, slo: SloLimits): { passed: boolean, limitedBy?: Exclude<LimitedBy, 'max'>, detail: string } {
  const behindLimit = slo.droppedRate ?? defaultBehindRate
  const offered = step.generator.sent + step.generator.dropped
  const lateShare = step.generator.sent === 0 ? 0 : step.generator.late / step.generator.sent
  const droppedShare = offered === 0 ? 0 : step.generator.dropped / offered
  const lateNote = lateShare > behindLimit ? `; ${(lateShare * 100).toFixed(1)}% of requests left more than 10 ms late (send lag p99 ${step.generator.sendLagMs.p99.toFixed(0)} ms)` : ''
  const errorRate = step.requests.total === 0 ? 0 : step.requests.failed / step.requests.total
  const errorBudget = slo.errorRate ?? defaultCapacitySlo.errorRate ?? 0.01
  if (errorRate > errorBudget) return { passed: false, limitedBy: 'errors', detail: `error rate ${(errorRate * 100).toFixed(2)}% over ${(errorBudget * 100).toFixed(2)}%${lateNote}` }
  const limits = latencyKeys.some((key) => slo[key] !== undefined) ? slo : defaultCapacitySlo
  for (const key of latencyKeys) {
    const limit = limits[key]
    if (limit === undefined || !(step.latencyMs[key] > limit)) continue
    const lagKey = lagAt[key]
    const lag = lagKey === undefined ? 0 : step.generator.sendLagMs[lagKey]
    const own = step.latencyMs[key] - lag
    if (lateShare > behindLimit && own <= limit) {
      return { passed: false, limitedBy: 'generator', detail: `${key} ${step.latencyMs[key].toFixed(1)} ms over ${limit} ms, but ${lag.toFixed(0)} ms of it is the generator's send lag${lateNote}` }
    }
    return { passed: false, limitedBy: 'latency', detail: `${key} ${step.latencyMs[key].toFixed(1)} ms over ${limit} ms${lagKey === undefined || lag === 0 ? '' : ` (${own.toFixed(1)} ms without the send lag)`}${lateNote}` }
  }
  if (droppedShare > behindLimit) {
    return { passed: false, limitedBy: 'generator', detail: `the generator dropped ${(droppedShare * 100).toFixed(1)}% of arrivals at its in-flight limit` }
  }
  return { passed: true, detail: `p99 ${step.latencyMs.p99.toFixed(1)} ms, error rate ${(errorRate * 100).toFixed(2)}%${lateNote}` }
}
