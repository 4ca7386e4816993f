import type { PhaseSummary } from '../core/result-types.js'
import type { LimitedBy } from '../plan/capacity.js'
import type { SloLimits } from '../scenario/schema/checks.js'
import { defaultBehindRate } from './slo.js'

/** The SLO a capacity search uses when the scenario sets none. */
export const defaultCapacitySlo: SloLimits = { p99: 500, errorRate: 0.01 }

const latencyKeys = ['p50', 'p90', 'p95', 'p99', 'p999', 'max', 'mean'] as const

/** Whether one step of a capacity search held, and if not, what broke first: the generator, errors, or latency. */
export function judgeCapacityStep (step: PhaseSummary, slo: SloLimits): { passed: boolean, limitedBy?: Exclude<LimitedBy, 'max'>, detail: string } {
  const behindLimit = slo.droppedRate ?? defaultBehindRate
  const lateShare = step.generator.sent === 0 ? 0 : step.generator.late / step.generator.sent
  // the generator's own lateness first: then nothing can be said about the service at this rate
  if (lateShare > behindLimit) return { passed: false, limitedBy: 'generator', detail: `the generator sent ${(lateShare * 100).toFixed(1)}% of requests late` }
  const errorRate = step.requests.total === 0 ? 0 : step.requests.failed / step.requests.total
  const errorBudget = slo.errorRate ?? defaultCapacitySlo.errorRate ?? 0.01
  if (errorRate > errorBudget) return { passed: false, limitedBy: 'errors', detail: `error rate ${(errorRate * 100).toFixed(2)}% over ${(errorBudget * 100).toFixed(2)}%` }
  const limits = latencyKeys.some((key) => slo[key] !== undefined) ? slo : defaultCapacitySlo
  for (const key of latencyKeys) {
    const limit = limits[key]
    if (limit !== undefined && step.latencyMs[key] > limit) return { passed: false, limitedBy: 'latency', detail: `${key} ${step.latencyMs[key].toFixed(1)} ms over ${limit} ms` }
  }
  return { passed: true, detail: `p99 ${step.latencyMs.p99.toFixed(1)} ms, error rate ${(errorRate * 100).toFixed(2)}%` }
}
