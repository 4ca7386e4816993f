/** Old vs new: each metric's values, change, confidence interval (drawn against the tolerance) and verdict. */
import type { CheckResult, ComparisonMetric } from '../../../core/result-types.js'
import { formatChange, formatWithUnit, type EffectScale } from '../format.js'
import type { Cell, CiBar, Section } from '../report-model.js'
import { statusRank, toneOf, type ReportContext } from './context.js'

/** Ratio (new/old) or difference (new − old, for fractions compared in points). */
export function scaleOf (metric: ComparisonMetric): EffectScale {
  const declared = (metric as { scale?: unknown }).scale
  if (declared === 'ratio' || declared === 'difference') return declared
  // results written before the scale was recorded: rates in points and memory growth in bytes/s are differences
  return metric.unit === 'fraction' || metric.unit === 'pp' || metric.unit === 'bytes/s' ? 'difference' : 'ratio'
}

/** The tolerance on the effect's scale, from the metric itself or from its `compare.<name>` check. */
export function limitOf (metric: ComparisonMetric, checks: readonly CheckResult[], scale: EffectScale): number | undefined {
  const own = (metric as { limit?: unknown }).limit
  if (typeof own === 'number' && Number.isFinite(own)) return own
  const check = checks.find((c) => c.id === `compare.${metric.name}` || (c.id.startsWith('compare') && c.id.endsWith(`.${metric.name}`)))
  if (check === undefined || !Number.isFinite(check.limit)) return undefined
  // a relative tolerance written as a fraction (+10% → 0.10) is turned into the ratio it allows
  return scale === 'ratio' && Math.abs(check.limit) < 0.5 ? 1 + check.limit : check.limit
}

/** The effect as judged: new/old for ratios; new − old for fractions compared in points (`ratio` may hold new/old there, or NaN when old is 0). */
export function effectOf (metric: ComparisonMetric, scale: EffectScale): number {
  if (scale === 'difference') return typeof metric.new === 'number' && typeof metric.old === 'number' ? metric.new - metric.old : NaN
  return typeof metric.ratio === 'number' ? metric.ratio : NaN
}

/** Ratios are placed on a log scale clamped to 1/10…10× (a wider interval runs off the end), differences on a linear one. */
const maxLogRatio = Math.log(10)

/** The confidence-interval bar of a metric, or undefined when its interval is not finite. */
export function ciBar (metric: ComparisonMetric, scale: EffectScale, limit: number | undefined): CiBar | undefined {
  const [low, high] = metric.ci ?? [NaN, NaN]
  if (typeof low !== 'number' || typeof high !== 'number' || !Number.isFinite(low) || !Number.isFinite(high)) return undefined
  if (scale === 'ratio' && (low <= 0 || high <= 0)) return undefined
  const effect = effectOf(metric, scale)
  const estimate = Number.isFinite(effect) && (scale === 'difference' || effect > 0) ? effect : (low + high) / 2
  const neutral = scale === 'ratio' ? 1 : 0
  const toAxis = (value: number): number => scale === 'ratio' ? Math.max(-maxLogRatio, Math.min(maxLogRatio, Math.log(value))) : value
  const usable = limit !== undefined && Number.isFinite(limit) && (scale === 'difference' || limit > 0) ? limit : undefined
  const points = [low, high, neutral, estimate, ...(usable === undefined ? [] : [usable])].map(toAxis)
  let min = Math.min(...points)
  let max = Math.max(...points)
  const pad = (max - min) * 0.1 || 0.05
  min -= pad
  max += pad
  const at = (value: number): number => Math.round(((toAxis(value) - min) / (max - min)) * 1000) / 10
  const limitText = usable === undefined ? '' : `, tolerance ${formatChange(scale, usable, metric.unit)}`
  return {
    lowPct: at(low),
    highPct: at(high),
    estimatePct: at(estimate),
    neutralPct: at(neutral),
    ...(usable === undefined ? {} : { limitPct: at(usable) }),
    tone: toneOf(metric.verdict),
    label: `95% CI ${formatChange(scale, low, metric.unit)} to ${formatChange(scale, high, metric.unit)}${limitText}`
  }
}

/** One table row per metric, failures first. */
export function comparisonRows (metrics: readonly ComparisonMetric[], checks: readonly CheckResult[]): Cell[][] {
  return [...metrics].sort((a, b) => (statusRank[a.verdict] ?? 9) - (statusRank[b.verdict] ?? 9)).map((metric) => {
    const scale = scaleOf(metric)
    const limit = limitOf(metric, checks, scale)
    const bar = ciBar(metric, scale, limit)
    const [low, high] = metric.ci ?? [NaN, NaN]
    const change = effectOf(metric, scale)
    return [
      { text: metric.name, mono: true },
      { text: formatWithUnit(metric.old, metric.unit), num: true },
      { text: formatWithUnit(metric.new, metric.unit), num: true },
      { text: formatChange(scale, change, metric.unit), num: true },
      bar === undefined ? { text: '–' } : { text: `${formatChange(scale, low, metric.unit)} to ${formatChange(scale, high, metric.unit)}`, ci: bar },
      { text: limit === undefined ? '–' : formatChange(scale, limit, metric.unit), num: true },
      { text: metric.verdict, tone: toneOf(metric.verdict) },
      // an inconclusive row says in one short line what would settle it
      { text: metric.verdict === 'inconclusive' && typeof metric.settle === 'string' ? metric.settle : '' },
      { text: metric.message }
    ]
  })
}

/** Column heads of the comparison table. */
export const comparisonColumns = [
  { label: 'metric' }, { label: 'old', num: true }, { label: 'new', num: true }, { label: 'change', num: true },
  { label: '95% confidence interval' }, { label: 'tolerance', num: true }, { label: 'verdict' }, { label: 'to settle' }, { label: 'why' }
]

/** The rule the verdicts follow, as the code applies it (analysis/compare/non-inferiority.ts). */
export const ruleText = 'A metric passes when the estimate and the worse end of its 95% interval are within the tolerance; it fails when the estimate is past the tolerance and the whole interval is on the worse side of no change; otherwise it is inconclusive, and the row says how much more load would settle it.'

/** The comparison section, or undefined without a comparison. */
export function comparisonSection (context: ReportContext): Section | undefined {
  const comparison = context.result.comparison
  if (comparison === undefined) return undefined
  return {
    id: 'comparison',
    title: `Old vs new: ${comparison.new} against ${comparison.old}`,
    blocks: [
      { kind: 'text', text: `Scheduled ${comparison.schedule}. ${ruleText}` },
      { kind: 'table', columns: comparisonColumns, rows: comparisonRows(comparison.metrics ?? [], context.result.checks ?? []), detailColumn: 'why' }
    ]
  }
}
