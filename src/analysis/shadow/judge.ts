/**
 * The verdict on each (endpoint, field path, difference kind): real, noise or ignored. A field is real when old and
 * new differ on it more often than old differs from itself, with statistical confidence (McNemar, then
 * Benjamini–Hochberg across every field tested), by at least a minimum rate, on enough requests. `diffy` mode uses
 * Diffy's fixed thresholds instead.
 */

import { benjaminiHochbergAdjusted } from './benjamini-hochberg.js'
import { diffyAbsolutePercent, diffyDefaults, diffyRelativePercent, diffyReports } from './diffy-thresholds.js'
import { mcnemarGreaterPValue } from './mcnemar.js'

/** Paired counts of one field over the requests of its endpoint. */
export interface FieldCounts {
  /** Requests of the endpoint compared (N). */
  requests: number
  /** Requests where old and new differed on this field (r). */
  raw: number
  /** Requests where old differed from itself on this field (n). */
  noise: number
  /** Raw difference without a noise difference (McNemar's b). */
  rawOnly: number
  /** Noise difference without a raw difference (McNemar's c). */
  noiseOnly: number
  /** The field matches an `ignore` rule. */
  ignored: boolean
}

/** How the verdicts are reached. */
export interface JudgeSettings {
  mode: 'statistical' | 'diffy'
  /** Benjamini–Hochberg false discovery rate. */
  falseDiscoveryRate: number
  /** Smallest raw − noise rate (a fraction) worth calling real. */
  minExcessRate: number
  /** Fewest requests of an endpoint before any of its fields can be called real. */
  minRequests: number
  diffy: { relativePercent: number, absolutePercent: number }
}

/** Defaults: q = 0.05, at least 0.5 percentage points above noise, at least 20 requests; Diffy's 20 and 0.03. */
export const defaultJudgeSettings: JudgeSettings = {
  mode: 'statistical',
  falseDiscoveryRate: 0.05,
  minExcessRate: 0.005,
  minRequests: 20,
  diffy: { ...diffyDefaults }
}

/** The verdict on one field and why. */
export interface FieldJudgement {
  verdict: 'real' | 'noise' | 'ignored'
  /** One-sided exact McNemar p-value (statistical mode). */
  pValue?: number
  /** Benjamini–Hochberg adjusted p-value (statistical mode). */
  qValue?: number
  reason: string
}

const percent = (fraction: number): string => `${(fraction * 100).toFixed(2)}%`
const formatP = (p: number): string => p < 1e-4 ? p.toExponential(1) : p.toPrecision(2)

function judgeDiffy (field: FieldCounts, settings: JudgeSettings): FieldJudgement {
  const relative = diffyRelativePercent(field.raw, field.noise)
  const absolute = diffyAbsolutePercent(field.raw, field.noise, field.requests)
  const reported = diffyReports(field.raw, field.noise, field.requests, settings.diffy)
  const figures = `raw ${field.raw} vs noise ${field.noise} of ${field.requests}: relative ${relative.toFixed(1)}, absolute ${absolute.toFixed(3)}`
  return reported
    ? { verdict: 'real', reason: `Diffy thresholds exceeded (${figures})` }
    : { verdict: 'noise', reason: `within Diffy thresholds ${settings.diffy.relativePercent}/${settings.diffy.absolutePercent} (${figures})` }
}

function statisticalVerdict (field: FieldCounts, pValue: number, qValue: number, settings: JudgeSettings): FieldJudgement {
  const excess = field.requests === 0 ? 0 : (field.raw - field.noise) / field.requests
  const figures = { pValue, qValue }
  if (field.requests < settings.minRequests) {
    return { verdict: 'noise', ...figures, reason: `too few requests to tell (${field.requests} < ${settings.minRequests})` }
  }
  if (qValue > settings.falseDiscoveryRate) {
    return { verdict: 'noise', ...figures, reason: `old vs new differs no more often than old vs old (McNemar p = ${formatP(pValue)}, BH q = ${formatP(qValue)} > ${settings.falseDiscoveryRate})` }
  }
  if (excess < settings.minExcessRate) {
    return { verdict: 'noise', ...figures, reason: `raw exceeds noise by only ${percent(excess)} (< ${percent(settings.minExcessRate)})` }
  }
  return { verdict: 'real', ...figures, reason: `old vs new differs ${percent(excess)} more often than old vs old (McNemar p = ${formatP(pValue)}, BH q = ${formatP(qValue)})` }
}

/** Judges every field at once (BH needs them all); ignored fields keep their counts but are never tested. */
export function judgeFields (fields: readonly FieldCounts[], settings: JudgeSettings = defaultJudgeSettings): FieldJudgement[] {
  if (settings.mode === 'diffy') {
    return fields.map((field) => field.ignored ? { verdict: 'ignored', reason: 'matches an ignore rule' } : judgeDiffy(field, settings))
  }
  const tested = fields.map((field, index) => ({ field, index })).filter(({ field }) => !field.ignored)
  const pValues = tested.map(({ field }) => mcnemarGreaterPValue(field.rawOnly, field.noiseOnly))
  const qValues = benjaminiHochbergAdjusted(pValues)
  const judgements: FieldJudgement[] = fields.map(() => ({ verdict: 'ignored', reason: 'matches an ignore rule' }))
  tested.forEach(({ field, index }, i) => {
    judgements[index] = statisticalVerdict(field, pValues[i] ?? 1, qValues[i] ?? 1, settings)
  })
  return judgements
}
