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
 * The generator counts as the limit only when it used at least this share of a core during the hold: below it, its late
 * sends come from the machine (the service, other processes) or from the service's queueing, not from its own ceiling.
 */
export const generatorBusyShare = 0.85

/**
 * A hold's requests still unanswered at its end may be this share of those sent, or this many times what a service
 * keeping up has in flight (rate × p99), whichever is more, before the service counts as fallen behind.
 */
export const backlogShare = 0.05
export const backlogFactor = 2

/** True when the generator's CPU over a hold (share of a core) says it was at its own ceiling. */
export function generatorAtCeiling (cpuShare: number | undefined): boolean {
  return cpuShare !== undefined && cpuShare >= generatorBusyShare
}

/** What was seen of the generator itself during a step. */
export interface GeneratorLoad {
  /** CPU the generator's process used during the hold, as a share of one core (1 = a core fully busy). */
  cpuShare?: number | undefined
}

/**
 * Whether one step of a capacity search held, and if not, what broke first: the service (errors, latency) or the
 * generator. Latency is measured from each request's intended send time, so a generator that sends late adds its lag
 * to it. The service is blamed when its errors break the budget, or when its latency breaks the SLO even with the
 * generator's lag taken out (latency − send lag at the same percentile, a lower bound of the service's own part).
 * When the generator dropped arrivals because the in-flight limit was reached, its own CPU tells who was behind: a
 * generator using most of a core is at its own ceiling; one that was not was waiting on the service, whose queue held
 * the limit's worth of requests (the service's limit). Without its CPU measured, the drops stay the generator's. A latency breach that is the generator's send lag is the
 * generator's: at its own ceiling when it used most of a core, else on a busy machine (another process, a CI
 * neighbour); either way the step is tried again. Sends that left late while every request still met the SLO do not
 * fail a step: the service held the load it was offered.
 */
export function judgeCapacityStep (step: PhaseSummary, slo: SloLimits, generator: GeneratorLoad = {}): { passed: boolean, limitedBy?: Exclude<LimitedBy, 'max'>, detail: string } {
  const behindLimit = slo.droppedRate ?? defaultBehindRate
  const offered = step.generator.sent + step.generator.dropped
  const lateShare = step.generator.sent === 0 ? 0 : step.generator.late / step.generator.sent
  const droppedShare = offered === 0 ? 0 : step.generator.dropped / offered
  const lateNote = lateShare > behindLimit ? `; ${(lateShare * 100).toFixed(1)}% of requests left more than 10 ms late (send lag p99 ${step.generator.sendLagMs.p99.toFixed(0)} ms)` : ''
  const cpuShare = generator.cpuShare
  const busy = generatorAtCeiling(cpuShare)
  const cpuNote = cpuShare === undefined ? '' : ` (the generator used ${(cpuShare * 100).toFixed(0)}% of a core)`
  const offeredRate = step.durationMs > 0 ? (offered * 1000) / step.durationMs : 0
  const answeredNote = `answered ${step.throughput.toFixed(0)} of ${offeredRate.toFixed(0)} req/s offered`
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
    const over = `${key} ${step.latencyMs[key].toFixed(1)} ms over ${limit} ms`
    if (lateShare > behindLimit && own <= limit) {
      // the service answered within the SLO once a request was out: the lateness is the generator's or the machine's
      const why = busy ? 'at its own ceiling' : 'on a busy machine'
      return { passed: false, limitedBy: 'generator', detail: `${over}, but ${lag.toFixed(0)} ms of it is the generator's send lag, ${why}${cpuNote}${lateNote}` }
    }
    return { passed: false, limitedBy: 'latency', detail: `${over}${lagKey === undefined || lag === 0 ? '' : ` (${own.toFixed(1)} ms without the send lag)`}${lateNote}` }
  }
  // requests sent in the hold and still unanswered at its end: a service keeping up has about rate × latency of them
  // in flight (Little's law); far more means it fell behind, however good the latency of those it did answer
  const outstanding = step.generator.sent - step.requests.total
  const inFlightAllowance = Math.max(backlogShare * step.generator.sent, backlogFactor * (step.generator.sent / Math.max(step.durationMs, 1)) * step.latencyMs.p99)
  if (outstanding > inFlightAllowance) {
    return { passed: false, limitedBy: 'latency', detail: `the service fell behind: ${outstanding} of the ${step.generator.sent} requests sent in the hold were still unanswered at its end (${answeredNote})${lateNote}` }
  }
  if (droppedShare > behindLimit) {
    // with the generator's CPU measured and below its ceiling, the full in-flight limit is the service's queue
    if (cpuShare !== undefined && !busy) {
      return { passed: false, limitedBy: 'latency', detail: `the service fell behind: ${(droppedShare * 100).toFixed(1)}% of arrivals were dropped at the in-flight limit, with that many requests still waiting for an answer (${answeredNote})${cpuNote}` }
    }
    return { passed: false, limitedBy: 'generator', detail: `the generator dropped ${(droppedShare * 100).toFixed(1)}% of arrivals at its in-flight limit${busy ? `, at its own ceiling${cpuNote}` : ''}` }
  }
  return { passed: true, detail: `p99 ${step.latencyMs.p99.toFixed(1)} ms, error rate ${(errorRate * 100).toFixed(2)}%${lateNote}` }
}
