/**
 * The gates of a rollout step: new's callers against old's callers of the same step. A gate fails only on evidence
 * (the whole 95% interval past the allowed change), passes when the whole interval is within it, and is otherwise
 * inconclusive (a rollout moves on: too little traffic is not a reason to fall back; it is said).
 *
 * - errorRate (`+0.5pp`): new's failure share minus old's, Newcombe's hybrid score interval.
 * - p99 (`+20%`): new's p99 over old's; each p99 has a distribution-free interval from order statistics (ranks from
 *   Binomial(n, 0.99) quantiles at 98.75% each side), and the ratio interval divides their ends, which keeps at least
 *   95% together (Bonferroni).
 */
import type { Tolerance } from '../core/units.js'
import { binomialCdf } from './stats/binomial.js'
import { newcombeDifferenceInterval } from './stats/wilson.js'

/** What a gate needs of one side (old's or new's callers in the step). */
export interface GateSide {
  requests: number
  failed: number
  /** The rank-th smallest latency (1-based), in ms. */
  latencyAtRank: (rank: number) => number
}

/** The gates a rollout applies. */
export interface RolloutGates {
  errorRate?: Tolerance | undefined
  p99?: Tolerance | undefined
}

/** One gate's outcome. */
export interface GateResult {
  gate: 'errorRate' | 'p99' | 'memoryGrowth'
  status: 'pass' | 'fail' | 'inconclusive'
  /** errorRate: the difference (a fraction); p99: the ratio new/old; memoryGrowth: new's growth in bytes per second. */
  observed: number
  ci: [number, number]
  /** The largest allowed: the difference, the ratio (1.2 for +20%), or the growth in bytes per second. */
  limit: number
  message: string
}

/**
 * Ranks [low, high] (1-based) of the order statistics around the q-quantile of n values with coverage ≥ confidence
 * (scipy: low = binom.ppf(α/2, n, q), high = binom.ppf(1 − α/2, n, q) + 1); 0 and n + 1 mean no bound on that side.
 */
export function quantileRanks (n: number, q: number, confidence: number): [number, number] {
  const tail = (1 - confidence) / 2
  // the smallest k with P(X ≤ k) ≥ p, X ~ Binomial(n, q): scipy's binom.ppf
  const ppf = (p: number): number => {
    let lo = 0
    let hi = n
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2)
      if (binomialCdf(mid, n, q) >= p) hi = mid
      else lo = mid + 1
    }
    return lo
  }
  return [ppf(tail), Math.min(n + 1, ppf(1 - tail) + 1)]
}

const percent = (value: number): string => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}%`
const points = (value: number): string => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(2)}pp`

function verdict (ci: [number, number], limit: number): GateResult['status'] {
  if (ci[0] > limit) return 'fail'
  if (ci[1] <= limit) return 'pass'
  return 'inconclusive'
}

/** new's error rate against old's; undefined without requests on a side. */
export function errorRateGate (old: GateSide, candidate: GateSide, tolerance: Tolerance): GateResult | undefined {
  if (old.requests === 0 || candidate.requests === 0) return undefined
  const limit = tolerance.kind === 'points' ? tolerance.fraction : tolerance.fraction * (old.failed / old.requests)
  const observed = candidate.failed / candidate.requests - old.failed / old.requests
  const ci = newcombeDifferenceInterval(candidate.failed, candidate.requests, old.failed, old.requests)
  const status = verdict(ci, limit)
  return { gate: 'errorRate', status, observed, ci, limit, message: `new error rate ${points(observed)} (95% CI ${points(ci[0])} … ${points(ci[1])}), allowed ${points(limit)}` }
}

/** new's p99 over old's; undefined when a side has too few requests for any bound. */
export function p99Gate (old: GateSide, candidate: GateSide, tolerance: Tolerance): GateResult | undefined {
  if (old.requests === 0 || candidate.requests === 0) return undefined
  const limit = 1 + tolerance.fraction
  const p99 = (side: GateSide): number => side.latencyAtRank(Math.max(1, Math.ceil(0.99 * side.requests)))
  const bounds = (side: GateSide): [number, number] => {
    const [low, high] = quantileRanks(side.requests, 0.99, 0.975)
    return [low < 1 ? 0 : side.latencyAtRank(low), high > side.requests ? Infinity : side.latencyAtRank(high)]
  }
  const [oldLow, oldHigh] = bounds(old)
  const [newLow, newHigh] = bounds(candidate)
  const observed = p99(candidate) / Math.max(p99(old), 1e-9)
  const ci: [number, number] = [oldHigh === Infinity ? 0 : newLow / Math.max(oldHigh, 1e-9), oldLow <= 0 ? Infinity : newHigh / oldLow]
  const status = verdict(ci, limit)
  const shown = (ratio: number): string => ratio === Infinity ? '+∞' : percent(ratio - 1)
  return { gate: 'p99', status, observed, ci, limit, message: `new p99 ${shown(observed)} (95% CI ${shown(ci[0])} … ${shown(ci[1])}), allowed ${percent(limit - 1)}` }
}

/** Every configured gate's outcome for one step. */
export function judgeStep (old: GateSide, candidate: GateSide, gates: RolloutGates): GateResult[] {
  const results: GateResult[] = []
  if (gates.errorRate !== undefined) {
    const result = errorRateGate(old, candidate, gates.errorRate)
    if (result !== undefined) results.push(result)
  }
  if (gates.p99 !== undefined) {
    const result = p99Gate(old, candidate, gates.p99)
    if (result !== undefined) results.push(result)
  }
  return results
}
