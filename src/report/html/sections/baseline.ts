/** How this run compares with the stored baseline. */
import type { BaselineSummary } from '../../../core/result-types.js'
import { formatChange, formatWithUnit } from '../format.js'
import type { Section } from '../report-model.js'
import { statusRank, toneOf, type ReportContext } from './context.js'

/**
 * The change against the baseline as judged: a ratio as a percent, a difference in the metric's unit; a ratio over a
 * baseline of zero (no errors then) has no percent, so the difference is shown instead of `+∞%`.
 */
export function changeAgainstBaseline (metric: BaselineSummary['metrics'][number]): string {
  const scale = metric.scale ?? (metric.unit === 'fraction' || metric.unit === 'pp' ? 'difference' : 'ratio')
  // a difference is current − baseline whatever `ratio` held in older files (new/old there, or null over zero)
  if (scale === 'difference' || !Number.isFinite(metric.ratio)) return formatChange('difference', metric.current - metric.baseline, metric.unit)
  return formatChange(scale, metric.ratio, metric.unit)
}

/** The baseline section, or undefined without a baseline. */
export function baselineSection (context: ReportContext): Section | undefined {
  const baseline = context.result.baseline
  if (baseline === undefined) return undefined
  const metrics = [...(baseline.metrics ?? [])].sort((a, b) => (statusRank[a.verdict] ?? 9) - (statusRank[b.verdict] ?? 9))
  return {
    id: 'baseline',
    title: 'Against the baseline',
    blocks: [
      { kind: 'facts', items: [{ label: 'baseline file', value: baseline.file }] },
      {
        kind: 'table',
        detailColumn: 'why',
        columns: [{ label: 'metric' }, { label: 'baseline', num: true }, { label: 'this run', num: true }, { label: 'change', num: true }, { label: 'verdict' }, { label: 'why' }],
        rows: metrics.map((metric) => {
          return [
            { text: metric.name, mono: true },
            { text: formatWithUnit(metric.baseline, metric.unit), num: true },
            { text: formatWithUnit(metric.current, metric.unit), num: true },
            { text: changeAgainstBaseline(metric), num: true },
            { text: metric.verdict, tone: toneOf(metric.verdict) },
            { text: metric.message }
          ]
        })
      }
    ]
  }
}
