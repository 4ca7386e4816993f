/** Turns the tallies of a shadow run into verdicts per field, result.json `shadow`, and one check per endpoint. */

import { judgeFields, type FieldCounts, type JudgeSettings } from '../analysis/shadow/judge.js'
import { suggestRules } from '../analysis/shadow/suggest.js'
import type { CheckResult } from '../core/result-types.js'
import type { ShadowArms } from './arms.js'
import type { EndpointTally, FieldTally, ShadowCollector } from './collector.js'
import type { ShadowEndpointReport, ShadowFieldReport, ShadowOutcomeSummary } from './report-types.js'
import type { SkippedRequest } from './selection.js'
import { samplesPerField } from './collector.js'

/** Most fields listed per endpoint (every real one is always listed). */
export const maxReportedFields = 100

/** What the summary needs besides the tallies. */
export interface SummarizeInput {
  judge: JudgeSettings
  /** checks.shadow.maxMismatchRate (default 0). */
  maxMismatchRate: number
  arms: ShadowArms
  skipped: SkippedRequest[]
  dropped: number
}

const verdictOrder = { real: 0, noise: 1, ignored: 2 } as const
const percent = (fraction: number): string => `${(fraction * 100).toFixed(fraction > 0 && fraction < 0.001 ? 3 : 1)}%`

function endpointCheck (endpoint: ShadowEndpointReport, input: SummarizeInput, realFields: ShadowFieldReport[]): CheckResult {
  const limit = input.maxMismatchRate
  const base = { id: `shadow.mismatchRate.${endpoint.name}`, target: input.arms.new, observed: endpoint.mismatchRate, limit, unit: 'fraction' }
  const top = realFields.slice(0, 3).map((field) => `${field.path} ${field.kind}`).join(', ')
  if (endpoint.requests === 0) return { ...base, status: 'inconclusive', message: `${endpoint.name}: no request was compared` }
  if (endpoint.mismatchRate > limit) {
    return { ...base, status: 'fail', message: `${endpoint.name}: ${endpoint.mismatched} of ${endpoint.requests} requests (${percent(endpoint.mismatchRate)}) have real differences, beyond what old varies by itself: ${top} (limit ${percent(limit)})` }
  }
  if (input.judge.mode === 'statistical' && endpoint.requests < input.judge.minRequests) {
    return { ...base, status: 'inconclusive', message: `${endpoint.name}: ${endpoint.requests} requests compared; at least ${input.judge.minRequests} are needed to call a difference real (run longer or faster)` }
  }
  const detail = endpoint.mismatched > 0 ? `${endpoint.mismatched} requests with real differences (${top}), within the limit of ${percent(limit)}` : 'no real difference'
  return { ...base, status: 'pass', message: `${endpoint.name}: ${detail} in ${endpoint.requests} requests` }
}

function fieldReport (field: FieldTally, requests: number): Omit<ShadowFieldReport, 'verdict' | 'reason'> {
  return {
    path: field.path,
    kind: field.kind,
    rawRate: requests === 0 ? 0 : field.raw / requests,
    noiseRate: requests === 0 ? 0 : field.noise / requests,
    rawCount: field.raw,
    noiseCount: field.noise,
    rawOnly: field.rawOnly,
    noiseOnly: field.noiseOnly
  }
}

/** Judges every field of every endpoint together (BH runs across all of them) and builds the report and checks. */
export function summarizeShadow (collector: ShadowCollector, input: SummarizeInput): ShadowOutcomeSummary {
  const tallies: Array<{ endpoint: EndpointTally, field: FieldTally }> = []
  for (const endpoint of collector.endpoints) for (const field of endpoint.fields.values()) tallies.push({ endpoint, field })
  const counts: FieldCounts[] = tallies.map(({ endpoint, field }) => ({
    requests: endpoint.requests, raw: field.raw, noise: field.noise, rawOnly: field.rawOnly, noiseOnly: field.noiseOnly, ignored: field.ignored
  }))
  const judgements = judgeFields(counts, input.judge)
  const verdictOf = new Map<FieldTally, ShadowFieldReport>()
  tallies.forEach(({ endpoint, field }, i) => {
    const judgement = judgements[i] ?? { verdict: 'noise', reason: '' }
    const report: ShadowFieldReport = { ...fieldReport(field, endpoint.requests), verdict: judgement.verdict, reason: judgement.reason }
    if (judgement.pValue !== undefined) report.pValue = judgement.pValue
    if (judgement.qValue !== undefined) report.qValue = judgement.qValue
    if (judgement.verdict === 'real') report.samples = [...field.samples, ...field.noisySamples].slice(0, samplesPerField)
    verdictOf.set(field, report)
  })
  const checks: CheckResult[] = []
  const endpoints: ShadowEndpointReport[] = collector.endpoints.map((endpoint) => {
    const all = [...endpoint.fields.values()].map((field) => verdictOf.get(field) as ShadowFieldReport)
    all.sort((a, b) => verdictOrder[a.verdict] - verdictOrder[b.verdict] || b.rawRate - a.rawRate || b.noiseRate - a.noiseRate || a.path.localeCompare(b.path))
    const real = all.filter((field) => field.verdict === 'real')
    let mismatched = 0
    for (const group of endpoint.differingGroups.values()) {
      if (group.fields.some((field) => verdictOf.get(field)?.verdict === 'real')) mismatched += group.requests
    }
    const report: ShadowEndpointReport = {
      name: endpoint.name,
      requests: endpoint.requests,
      mismatched,
      mismatchRate: endpoint.requests === 0 ? 0 : mismatched / endpoint.requests,
      differing: endpoint.differing,
      failed: endpoint.failed,
      untracked: endpoint.untracked,
      fields: [...real, ...all.filter((field) => field.verdict !== 'real').slice(0, Math.max(maxReportedFields - real.length, 0))]
    }
    checks.push(endpointCheck(report, input, real))
    return report
  })
  if (endpoints.length === 0) {
    checks.push({ id: 'shadow.mismatchRate', target: input.arms.new, status: 'inconclusive', observed: 0, limit: input.maxMismatchRate, unit: 'fraction', message: 'no request was compared' })
  }
  const judged = endpoints.flatMap((endpoint) => endpoint.fields)
  return {
    report: {
      requests: endpoints.reduce((sum, e) => sum + e.requests, 0),
      mismatched: endpoints.reduce((sum, e) => sum + e.mismatched, 0),
      mode: input.judge.mode,
      targets: { old: input.arms.old, new: input.arms.new, noise: input.arms.old2 ?? input.arms.old },
      noiseSource: input.arms.old2 === undefined ? 'old-again' : 'old2',
      dropped: input.dropped,
      skipped: input.skipped,
      suggestions: suggestRules(judged),
      settings: {
        falseDiscoveryRate: input.judge.falseDiscoveryRate,
        minExcessRate: input.judge.minExcessRate,
        minRequests: input.judge.minRequests,
        maxMismatchRate: input.maxMismatchRate,
        ...(input.judge.mode === 'diffy' ? { diffy: input.judge.diffy } : {})
      },
      endpoints
    },
    checks
  }
}
