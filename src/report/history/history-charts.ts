/** The trend charts of a history: one per figure, a line per target, the steps and the accepted baseline marked. */

import type { History } from '../../analysis/history/history-series.js'
import type { ChartSpec, MarkerSpec } from '../charts/chart-spec.js'
import { statusColors } from '../charts/palette.js'
import { formatEffect } from '../html/format.js'

/** One chart per figure some run has; x is the run's number, oldest first (1 … N). */
export function historyCharts (history: History, colors: Readonly<Record<string, string>>): ChartSpec[] {
  const accepted = history.runs.flatMap((run, index) => run.accepted ? [index + 1] : [])
  const charts: ChartSpec[] = []
  for (const metric of new Set(history.series.map((entry) => entry.metric))) {
    const series = history.series.filter((entry) => entry.metric === metric)
    const markers: MarkerSpec[] = accepted.map((x) => ({ x, label: 'accepted baseline', color: statusColors.neutral }))
    for (const entry of series) {
      for (const change of entry.changes) {
        markers.push({ x: change.index + 1, label: `${entry.target} ${formatEffect('ratio', 1 + change.relative)}`, color: change.direction === 'worse' ? statusColors.fail : statusColors.pass })
      }
    }
    charts.push({
      id: `history-${metric.id}`,
      title: `${metric.label} (${metric.unit})`,
      xLabel: 'run, oldest first',
      yLabel: metric.unit,
      xMin: 1,
      xMax: Math.max(2, history.runs.length),
      yMin: 0,
      lines: series.map((entry) => ({
        label: entry.target,
        color: colors[entry.target] ?? statusColors.neutral,
        points: entry.values.flatMap((value, index) => [index + 1, Number.isFinite(value) ? value : null]),
        pointRadius: 2.5,
        spanGaps: true
      })),
      bands: [],
      markers,
      ...(series.some((entry) => entry.changes.length > 0) ? { note: 'dashed lines: the first run of each step (red worse, green better), and the accepted baseline' } : {})
    })
  }
  return charts
}
