/** How this run compares with the stored baseline. */
import { formatEffect, formatWithUnit } from '../format.js'
import type { Section } from '../report-model.js'
import { statusRank, toneOf, type ReportContext } from './context.js'

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
            { text: formatEffect('ratio', metric.ratio), num: true },
            { text: metric.verdict, tone: toneOf(metric.verdict) },
            { text: metric.message }
          ]
        })
      }
    ]
  }
}
