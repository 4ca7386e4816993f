/** Every chart of a run, from result.json and the timeline: time series, leak panels and capacity curves. */
import type { CapacitySummary, RunResult } from '../../core/result-types.js'
import type { TimelineLine } from '../../rundir/timeline-line.js'
import { capacityCharts } from './capacity-charts.js'
import { timeAxisFor, type ChartSpec, type MarkerSpec } from './chart-spec.js'
import { leakChart } from './leak-chart.js'
import { phaseBands, phaseSpans } from './phase-bands.js'
import { timeSeriesCharts } from './time-charts.js'
import { targetSeries, timelineDurationSec } from './timeline-series.js'

/** The charts of a run, grouped as the report shows them. */
export interface ChartSet {
  time: ChartSpec[]
  /** Leak panel per target name. */
  leak: Map<string, ChartSpec>
  capacity: ChartSpec[]
}

/** Builds all charts; targets keep the colours given. */
export function buildCharts (result: RunResult, timeline: readonly TimelineLine[], colors: Record<string, string>): ChartSet {
  const names = Object.keys(result.targets ?? {})
  const series = targetSeries(timeline, names)
  const axis = timeAxisFor(timelineDurationSec(timeline))
  const bands = phaseBands(phaseSpans(timeline), axis.divisor)
  const markers: MarkerSpec[] = []
  for (const [name, target] of Object.entries(result.targets ?? {})) {
    for (const event of target.events ?? []) {
      if (typeof event.t === 'number' && Number.isFinite(event.t)) markers.push({ x: event.t / axis.divisor, label: `${name}: ${event.type}`, color: colors[name] ?? '#6e7781' })
    }
  }
  const intervalSec = Math.max(1e-3, ...series.map((s) => s.intervalSec))
  const time = timeline.length === 0 ? [] : timeSeriesCharts({ series, colors, bands, markers, axis, spanGapsSec: 2.5 * intervalSec })
  const leak = new Map<string, ChartSpec>()
  for (const [name, target] of Object.entries(result.targets ?? {})) {
    const own = series.find((s) => s.target === name)
    if (target.leak !== undefined && own !== undefined && own.sampled) leak.set(name, leakChart(target.leak, own, colors[name] ?? '#6e7781', axis, bands))
  }
  const capacity: Record<string, CapacitySummary> = {}
  for (const [name, target] of Object.entries(result.targets ?? {})) if (target.capacity !== undefined) capacity[name] = target.capacity
  return { time, leak, capacity: capacityCharts(capacity, colors) }
}

/** All charts in report order, for the PNG renderer. */
export function allCharts (set: ChartSet): ChartSpec[] {
  return [...set.time, ...set.leak.values(), ...set.capacity]
}
