import type { CheckResult, TargetSummary } from '../core/result-types.js'
import type { SloLimits } from '../scenario/schema/checks.js'

const latencyKeys = ['p50', 'p90', 'p95', 'p99', 'p999', 'max', 'mean'] as const

/** Default share of arrivals the generator may drop or send late before its figures are doubted. */
export const defaultBehindRate = 0.01

const pct = (fraction: number): string => `${(fraction * 100).toFixed(fraction < 0.001 ? 3 : 2)}%`

/** Checks one target against absolute service-level objectives. */
export function sloChecks (target: string, summary: TargetSummary, limits: SloLimits): CheckResult[] {
  const checks: CheckResult[] = []
  const answered = summary.requests.total - (summary.requests.byError.dropped ?? 0)
  const behindLimit = limits.droppedRate ?? defaultBehindRate
  const lateShare = summary.generator.sent === 0 ? 0 : summary.generator.late / summary.generator.sent
  const generatorBehind = lateShare > behindLimit
  if (summary.generator.sent > 0) {
    checks.push({
      id: 'generator.late',
      target,
      status: generatorBehind ? 'warn' : 'pass',
      observed: lateShare,
      limit: behindLimit,
      unit: 'fraction',
      message: generatorBehind
        ? `the load generator fell behind its schedule: ${pct(lateShare)} of requests left more than 10 ms late (send lag p99 ${summary.generator.sendLagMs.p99.toFixed(1)} ms); latency includes the generator's own queueing — give cutover a core of its own or lower the rate`
        : `the generator kept its schedule (${pct(lateShare)} late)`
    })
  }
  for (const key of latencyKeys) {
    const limit = limits[key]
    if (limit === undefined) continue
    const observed = summary.latencyMs[key]
    let status: CheckResult['status'] = observed <= limit ? 'pass' : 'fail'
    let message = `${key} ${observed.toFixed(1)} ms ${status === 'pass' ? '≤' : '>'} ${limit} ms`
    if (answered === 0) {
      status = 'inconclusive'
      message = `${key}: no responses to measure`
    } else if (status === 'fail' && generatorBehind) {
      // the generator's own lag is part of every latency: only when it could explain the excess is the verdict in doubt
      const lag = key === 'p50' || key === 'mean' ? summary.generator.sendLagMs.p50 : key === 'max' || key === 'p999' ? summary.generator.sendLagMs.max : summary.generator.sendLagMs.p99
      if (observed - lag <= limit) {
        status = 'inconclusive'
        message += `, but the generator fell behind its schedule (send lag up to ${lag.toFixed(1)} ms), so the excess may be the generator's own delay`
      }
    }
    checks.push({ id: `slo.${key}`, target, status, observed, limit, unit: 'ms', message })
  }
  if (limits.errorRate !== undefined) {
    const observed = summary.requests.total === 0 ? 0 : summary.requests.failed / summary.requests.total
    const status = summary.requests.total === 0 ? 'inconclusive' : observed <= limits.errorRate ? 'pass' : 'fail'
    const top = Object.entries(summary.requests.byError).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([kind, n]) => `${kind} ${n}`).join(', ')
    checks.push({
      id: 'slo.errorRate',
      target,
      status,
      observed,
      limit: limits.errorRate,
      unit: 'fraction',
      message: status === 'inconclusive' ? 'no requests were sent' : `error rate ${pct(observed)} ${status === 'pass' ? '≤' : '>'} ${pct(limits.errorRate)}${top === '' ? '' : ` (${top})`}`
    })
  }
  if (limits.throughput !== undefined) {
    const observed = summary.throughput.mean
    const status = observed >= limits.throughput ? 'pass' : 'fail'
    checks.push({ id: 'slo.throughput', target, status, observed, limit: limits.throughput, unit: 'req/s', message: `throughput ${observed.toFixed(1)} req/s ${status === 'pass' ? '≥' : '<'} ${limits.throughput} req/s` })
  }
  return checks
}
