/**
 * The comparison of a sequential run: old ran its whole plan, then new ran it, so nothing pairs them; each side's
 * windows and intervals are resampled on their own, and any drift of the machine between the two is in the difference.
 */
import type { PlannedPhase } from '../../plan/phases.js'
import type { TimelineLine } from '../../rundir/timeline-line.js'
import { isComparedPhase, toResultMetric, type ComparisonContext, type MetricSet } from './comparison-context.js'
import { cpuMsPerRequest, latencyWindows } from './latency-windows.js'
import { compareMetric } from './compare-metric.js'
import { comparePooledQuantile } from './compare-pooled-quantile.js'
import type { MetricComparison } from './types.js'

interface Series {
  open: TimelineLine[]
  closed: TimelineLine[]
}

function seriesOf (lines: readonly TimelineLine[], target: string, phases: PlannedPhase[], intervalMs: number): Series {
  const byName = new Map(phases.map((phase) => [phase.name, phase]))
  const own = lines.filter((line) => line.target === target && line.phase !== 'idle' && isComparedPhase(byName.get(line.phase)) && line.intervalMs >= intervalMs * 0.5)
  return { open: own.filter((line) => byName.get(line.phase)?.kind === 'open'), closed: own.filter((line) => byName.get(line.phase)?.kind === 'closed') }
}

const sequentialNote = (comparison: MetricComparison): MetricComparison => ({
  ...comparison,
  method: `${comparison.method}; sequential schedule: unpaired, old and new ran at different times, so any drift of the machine between them is in the difference`
})

/** The metrics of a sequential run. */
export function unpairedMetrics (context: ComparisonContext): MetricSet {
  const { seed, tolerance } = context
  const old = seriesOf(context.lines, context.old, context.phases, context.intervalMs)
  const next = seriesOf(context.lines, context.new, context.phases, context.intervalMs)
  // latency from open-model phases, where both got the same arrival plan; in closed-model phases latency
  // only mirrors throughput (Little's law), and the phases' shares would differ between old and new
  const latencyLines = (series: Series): TimelineLine[] => series.open.length > 0 ? series.open : series.closed
  const oldWindows = latencyWindows(latencyLines(old))
  const newWindows = latencyWindows(latencyLines(next))
  const latency = ([['p50', 50], ['p95', 95], ['p99', 99]] as const).map(([key, percentile]) =>
    toResultMetric(sequentialNote(comparePooledQuantile({ name: key, percentile, old: oldWindows, new: newWindows, tolerance: tolerance(key), seed })), 'ms'))
  const throughput = old.closed.length > 0 || next.closed.length > 0
    ? [toResultMetric(sequentialNote(compareMetric({ name: 'throughput', old: old.closed.map((l) => l.throughput), new: next.closed.map((l) => l.throughput), direction: 'lower-is-worse', tolerance: tolerance('throughput'), seed, format: (v) => `${v.toFixed(0)} req/s` })), 'req/s')]
    : []
  const sampled = [...old.open, ...old.closed].some((line) => line.resources !== undefined) && [...next.open, ...next.closed].some((line) => line.resources !== undefined)
  const rss = (lines: TimelineLine[]): number[] => lines.map((line) => line.resources?.rssBytes ?? NaN)
  const resources = !sampled
    ? []
    : [
        toResultMetric(sequentialNote(compareMetric({ name: 'cpuPerRequest', old: latencyLines(old).map(cpuMsPerRequest), new: latencyLines(next).map(cpuMsPerRequest), direction: 'higher-is-worse', tolerance: tolerance('cpuPerRequest'), seed, method: 'bootstrap-mean', format: (v) => `${v.toFixed(3)} ms CPU` })), 'ms'),
        toResultMetric(sequentialNote(compareMetric({ name: 'rssMean', old: rss(latencyLines(old)), new: rss(latencyLines(next)), direction: 'higher-is-worse', tolerance: tolerance('rssMean'), seed, method: 'bootstrap-mean', format: (v) => `${(v / 1e6).toFixed(1)} MB` })), 'bytes')
      ]
  return { latency, throughput, resources }
}
