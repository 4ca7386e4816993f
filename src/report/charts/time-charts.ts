/** The charts over time: throughput, latency, errors by kind, memory and CPU, every target overlaid. */
import type { BandSpec, ChartSpec, LineSpec, MarkerSpec, TimeAxis } from './chart-spec.js'
import { downsampleMinMax, flattenPoints } from './downsample.js'
import type { TargetSeries } from './timeline-series.js'

/** What the time charts are drawn from. */
export interface TimeChartInput {
  series: TargetSeries[]
  colors: Record<string, string>
  bands: BandSpec[]
  markers: MarkerSpec[]
  axis: TimeAxis
  /** Gaps up to this many seconds are joined (the other target's interleaved slice). */
  spanGapsSec: number
}

const dashes: number[][] = [[], [6, 3], [2, 3], [10, 3, 2, 3], [1, 4]]

/**
 * A line over time: x scaled to the axis unit, downsampled, flattened. A line
 * that spans gaps leaves its missing points out, because chart.js breaks a line
 * at a null even when `spanGaps` is a length.
 */
export function timeLine (tSec: readonly number[], ys: ReadonlyArray<number | null>, axis: TimeAxis, style: Omit<LineSpec, 'points'>): LineSpec {
  let xs = tSec.map((t) => t / axis.divisor)
  let values = [...ys]
  if (style.spanGaps !== undefined && style.spanGaps !== false) {
    const kept = values.map((y, i) => y === null ? -1 : i).filter((i) => i >= 0)
    xs = kept.map((i) => xs[i] ?? 0)
    values = kept.map((i) => values[i] ?? null)
  }
  return { ...style, points: flattenPoints(downsampleMinMax({ xs, ys: values })) }
}

function base (input: TimeChartInput, id: string, title: string, yLabel: string, lines: LineSpec[], note?: string): ChartSpec {
  return { id, title, xLabel: input.axis.label, yLabel, lines, bands: input.bands, markers: input.markers, yMin: 0, xMin: 0, png: true, ...(note === undefined ? {} : { note }) }
}

function colorOf (input: TimeChartInput, target: string): string {
  return input.colors[target] ?? '#555555'
}

/** Answered requests per second per target. */
export function throughputChart (input: TimeChartInput): ChartSpec {
  const span = input.spanGapsSec / input.axis.divisor
  const lines = input.series.map((s) => timeLine(s.tSec, s.throughput, input.axis, { label: s.target, color: colorOf(input, s.target), width: 1.8, spanGaps: span }))
  return base(input, 'throughput', 'Throughput', 'req/s', lines)
}

/** p50, p90 and p99 per target: one colour per target, one dash per percentile. */
export function latencyChart (input: TimeChartInput): ChartSpec {
  const span = input.spanGapsSec / input.axis.divisor
  const lines: LineSpec[] = []
  for (const s of input.series) {
    const color = colorOf(input, s.target)
    lines.push(timeLine(s.tSec, s.p99, input.axis, { label: `${s.target} p99`, color, width: 2, spanGaps: span }))
    lines.push(timeLine(s.tSec, s.p90, input.axis, { label: `${s.target} p90`, color, width: 1.4, dash: [6, 3], spanGaps: span }))
    lines.push(timeLine(s.tSec, s.p50, input.axis, { label: `${s.target} p50`, color, width: 1.2, dash: [2, 3], spanGaps: span }))
  }
  return base(input, 'latency', 'Latency p50 / p90 / p99', 'ms', lines)
}

/** Failed requests per second by error kind: the five commonest kinds per target, the rest as "other". */
export function errorsChart (input: TimeChartInput): ChartSpec {
  const lines: LineSpec[] = []
  let anyErrors = false
  for (const s of input.series) {
    const color = colorOf(input, s.target)
    const kinds = [...s.errorsPerSec.entries()].map(([kind, values]) => ({ kind, values, total: values.reduce((a, b) => a + b, 0) }))
      .filter((entry) => entry.total > 0).sort((a, b) => b.total - a.total)
    if (kinds.length === 0) {
      lines.push(timeLine(s.tSec, s.tSec.map(() => 0), input.axis, { label: `${s.target}: no errors`, color, width: 1.5 }))
      continue
    }
    anyErrors = true
    const shown = kinds.slice(0, 5)
    const rest = kinds.slice(5)
    if (rest.length > 0) shown.push({ kind: 'other', total: 0, values: s.tSec.map((_, i) => rest.reduce((sum, entry) => sum + (entry.values[i] ?? 0), 0)) })
    shown.forEach((entry, index) => {
      lines.push(timeLine(s.tSec, entry.values, input.axis, { label: `${s.target}: ${entry.kind}`, color, width: 1.6, dash: dashes[index % dashes.length] ?? [] }))
    })
  }
  return base(input, 'errors', 'Errors by kind', 'errors/s', lines, anyErrors ? undefined : 'no failed requests')
}

/** Resident memory (solid) and JavaScript heap when reported (dashed), in MB. */
export function memoryChart (input: TimeChartInput): ChartSpec {
  const lines: LineSpec[] = []
  for (const s of input.series) {
    if (!s.sampled) continue
    const color = colorOf(input, s.target)
    lines.push(timeLine(s.tSec, s.rssMB, input.axis, { label: `${s.target} RSS`, color, width: 1.8, spanGaps: true }))
    if (s.hasHeap) lines.push(timeLine(s.tSec, s.heapMB, input.axis, { label: `${s.target} heap`, color, width: 1.4, dash: [6, 3], spanGaps: true }))
  }
  return base(input, 'memory', input.series.some((s) => s.hasHeap) ? 'Memory (RSS, heap)' : 'Memory (RSS)', 'MB', lines, lines.length === 0 ? 'no resource samples' : undefined)
}

/** CPU of each service's process tree, in percent of one core. */
export function cpuChart (input: TimeChartInput): ChartSpec {
  const lines = input.series.filter((s) => s.sampled).map((s) => timeLine(s.tSec, s.cpuPercent, input.axis, { label: s.target, color: colorOf(input, s.target), width: 1.6, spanGaps: true }))
  return base(input, 'cpu', 'CPU', '% of one core', lines, lines.length === 0 ? 'no resource samples' : undefined)
}

/** All time charts, in the order the report shows them. */
export function timeSeriesCharts (input: TimeChartInput): ChartSpec[] {
  const charts = [throughputChart(input), latencyChart(input), errorsChart(input)]
  if (input.series.some((s) => s.sampled)) charts.push(memoryChart(input), cpuChart(input))
  return charts
}
