/** Capacity curves: p99, answered throughput, error rate, CPU and RSS against the offered rate, every target overlaid, the knee marked. */
import type { CapacitySummary } from '../../core/result-types.js'
import type { ChartSpec, LineSpec, MarkerSpec } from './chart-spec.js'

type StepFigure = (step: CapacitySummary['curve'][number]) => number | undefined

const figures: Array<{ id: string, title: string, yLabel: string, value: StepFigure }> = [
  { id: 'capacity-p99', title: 'p99 latency by offered rate', yLabel: 'ms', value: (step) => step.p99Ms },
  { id: 'capacity-throughput', title: 'Answered by offered rate (below the diagonal, the service fell behind)', yLabel: 'req/s', value: (step) => step.throughput },
  { id: 'capacity-errors', title: 'Error rate by offered rate', yLabel: '%', value: (step) => step.errorRate * 100 },
  { id: 'capacity-cpu', title: 'CPU by offered rate', yLabel: '% of one core', value: (step) => step.cpuPercent },
  { id: 'capacity-rss', title: 'RSS by offered rate', yLabel: 'MB', value: (step) => step.rssBytes === undefined ? undefined : step.rssBytes / 1e6 }
]

/** The capacity charts of the targets that have a capacity search; empty when none has. */
export function capacityCharts (capacity: Record<string, CapacitySummary>, colors: Record<string, string>): ChartSpec[] {
  const entries = Object.entries(capacity).filter(([, summary]) => Array.isArray(summary.curve) && summary.curve.length > 0)
  if (entries.length === 0) return []
  const markers: MarkerSpec[] = entries.map(([target, summary]) => ({ x: summary.maxRps, label: `${target} max ${Math.round(summary.maxRps)} req/s`, color: colors[target] ?? '#555555' }))
  const charts: ChartSpec[] = []
  for (const figure of figures) {
    const lines: LineSpec[] = []
    for (const [target, summary] of entries) {
      const points: Array<number | null> = []
      // the search's steps: a ceiling hold offers no rate (its connections send as fast as they are answered)
      for (const step of summary.curve.filter((s) => s.overload !== true).sort((a, b) => a.rate - b.rate)) {
        const value = figure.value(step)
        if (value === undefined || !Number.isFinite(value)) continue
        points.push(step.rate, Number(value.toPrecision(4)))
      }
      if (points.length > 0) lines.push({ label: target, color: colors[target] ?? '#555555', points, width: 2, pointRadius: 3 })
    }
    if (lines.length === 0) continue
    charts.push({ id: figure.id, title: figure.title, xLabel: 'offered rate (req/s)', yLabel: figure.yLabel, lines, bands: [], markers, yMin: 0, png: figure.id === 'capacity-p99' })
  }
  return charts
}
