/**
 * The Prometheus text exposition format (version 0.0.4), written: pure, so a snapshot renders to the same text to the
 * last byte. Classic histograms only (`_bucket{le}`, `_sum`, `_count`): Prometheus before 2.50 reads native
 * histograms only over protobuf, behind a feature flag.
 */
import type { LiveMetricDefinition } from './metric-catalog.js'

/** Label values of one series; an undefined value leaves the label out. */
export type SeriesLabels = Readonly<Record<string, string | undefined>>

/** One counter or gauge series. */
export interface ScalarSeries {
  labels: SeriesLabels
  value: number
}

/** One histogram series: cumulative counts at each upper bound (ascending, +Inf left out: it is `count`). */
export interface HistogramSeries {
  labels: SeriesLabels
  buckets: ReadonlyArray<{ le: number, count: number }>
  sum: number
  count: number
}

/** One metric family with its series. */
export type MetricFamily =
  | { definition: LiveMetricDefinition & { type: 'counter' | 'gauge' }, series: readonly ScalarSeries[] }
  | { definition: LiveMetricDefinition & { type: 'histogram' }, series: readonly HistogramSeries[] }

/** The content type of what {@link renderPrometheusText} writes. */
export const prometheusTextContentType = 'text/plain; version=0.0.4; charset=utf-8'

/** A sample value as Prometheus reads it: `NaN`, `+Inf`, `-Inf`, or the shortest decimal that reads back exactly. */
export function formatSampleValue (value: number): string {
  if (Number.isNaN(value)) return 'NaN'
  if (value === Infinity) return '+Inf'
  if (value === -Infinity) return '-Inf'
  return String(value)
}

/** A label value inside double quotes: backslash, double quote and line feed escaped. */
export function escapeLabelValue (value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}

/** `# HELP` text: backslash and line feed escaped. */
function escapeHelp (text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')
}

/** `{a="x",b="y"}` in the family's label order, then any others; empty when there are none. */
function labelText (order: readonly string[], labels: SeriesLabels, extra?: [string, string]): string {
  const names = [...order, ...Object.keys(labels).filter((name) => !order.includes(name)).sort()]
  const pairs = names.flatMap((name) => {
    const value = labels[name]
    return value === undefined ? [] : [`${name}="${escapeLabelValue(value)}"`]
  })
  if (extra !== undefined) pairs.push(`${extra[0]}="${escapeLabelValue(extra[1])}"`)
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`
}

/** The lines of one histogram series: its buckets, +Inf, sum and count. */
function histogramLines (name: string, order: readonly string[], series: HistogramSeries): string[] {
  const lines = series.buckets.map((bucket) => `${name}_bucket${labelText(order, series.labels, ['le', formatSampleValue(bucket.le)])} ${formatSampleValue(bucket.count)}`)
  lines.push(`${name}_bucket${labelText(order, series.labels, ['le', '+Inf'])} ${formatSampleValue(series.count)}`)
  lines.push(`${name}_sum${labelText(order, series.labels)} ${formatSampleValue(series.sum)}`)
  lines.push(`${name}_count${labelText(order, series.labels)} ${formatSampleValue(series.count)}`)
  return lines
}

/** The exposition of `families`, in their order; a family without series is left out. Ends with a line feed. */
export function renderPrometheusText (families: readonly MetricFamily[]): string {
  const lines: string[] = []
  for (const family of families) {
    if (family.series.length === 0) continue
    const { name, type, help, labels } = family.definition
    lines.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`)
    if (family.definition.type === 'histogram') {
      for (const series of family.series as readonly HistogramSeries[]) lines.push(...histogramLines(name, labels, series))
    } else {
      for (const series of family.series as readonly ScalarSeries[]) lines.push(`${name}${labelText(labels, series.labels)} ${formatSampleValue(series.value)}`)
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`
}
