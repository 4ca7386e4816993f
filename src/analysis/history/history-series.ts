/** The trend of a scenario across runs: per target and figure, one value per run, and the steps found in it. */

import type { BaselineTarget, RunSnapshot } from '../baseline/baseline-format.js'
import { findChangePoints, type ChangePoint, type ChangePointOptions } from './change-points.js'

/** One run of the history: a run directory or a stored baseline, reduced as a baseline reduces a run. */
export interface HistoryRun {
  /** The run directory's name, or the baseline file's name. */
  label: string
  /** The path it was read from. */
  path: string
  /** What it is. */
  source: 'run' | 'baseline'
  /** The accepted baseline (the file `checks.baseline` compares with), or the run it was saved from. */
  accepted: boolean
  snapshot: RunSnapshot
}

/** A figure followed across runs. */
export interface HistoryMetric {
  id: 'p50' | 'p99' | 'throughput' | 'cpuPerRequest' | 'rssPeak' | 'leakSlope' | 'capacity'
  label: string
  unit: string
  /** Which way is a regression. */
  worse: 'higher' | 'lower'
  /** The figure of a target in a run, in `unit`; NaN when the run has none. */
  of: (target: BaselineTarget) => number
}

const mean = (values: readonly number[]): number => values.length === 0 ? NaN : values.reduce((sum, x) => sum + x, 0) / values.length
const mb = 1e6

/** The figures of a history, in the order they are shown. */
export const historyMetrics: readonly HistoryMetric[] = [
  { id: 'p50', label: 'p50 latency', unit: 'ms', worse: 'higher', of: (target) => target.latencyMs.p50 },
  { id: 'p99', label: 'p99 latency', unit: 'ms', worse: 'higher', of: (target) => target.latencyMs.p99 },
  { id: 'throughput', label: 'throughput', unit: 'req/s', worse: 'lower', of: (target) => target.throughput.mean },
  { id: 'cpuPerRequest', label: 'CPU per request', unit: 'ms', worse: 'higher', of: (target) => mean(target.series.cpuMsPerRequest) },
  { id: 'rssPeak', label: 'RSS peak', unit: 'MB', worse: 'higher', of: (target) => (target.resources?.rssPeakBytes ?? NaN) / mb },
  { id: 'leakSlope', label: 'leak slope', unit: 'MB/min', worse: 'higher', of: (target) => (target.leak?.slopeBytesPerSec ?? NaN) * 60 / mb },
  { id: 'capacity', label: 'capacity knee', unit: 'req/s', worse: 'lower', of: (target) => target.capacity?.maxRps ?? NaN }
]

/** A step found in one target's figure. */
export interface HistoryChange extends ChangePoint {
  target: string
  metric: HistoryMetric['id']
  /** The run that first shows it. */
  run: string
  direction: 'worse' | 'better'
}

/** One target's figure across the runs. */
export interface HistorySeries {
  target: string
  metric: HistoryMetric
  /** One value per run, oldest first; NaN where a run has no such figure. */
  values: number[]
  changes: HistoryChange[]
}

/** A scenario's history. */
export interface History {
  scenario: string
  /** Oldest first. */
  runs: HistoryRun[]
  targets: string[]
  /** Only the figures some run has. */
  series: HistorySeries[]
  /** Every step, oldest first. */
  changes: HistoryChange[]
  /** Steps whose worse level is still where the newest run stands: regressions not yet undone. */
  standing: HistoryChange[]
  /** Fewest runs a side a step needs (the options'), so a reader knows why the newest runs cannot show one yet. */
  minRuns: number
}

/** Orders the runs by start time and finds the steps in every figure of every target. */
export function buildHistory (scenario: string, runs: readonly HistoryRun[], options: ChangePointOptions = {}): History {
  const ordered = [...runs].sort((a, b) => Date.parse(a.snapshot.source.startedAt) - Date.parse(b.snapshot.source.startedAt) || a.label.localeCompare(b.label))
  const targets: string[] = []
  for (const run of ordered) for (const name of Object.keys(run.snapshot.targets)) if (!targets.includes(name)) targets.push(name)
  const series: HistorySeries[] = []
  for (const metric of historyMetrics) {
    for (const target of targets) {
      const values = ordered.map((run) => {
        const figures = run.snapshot.targets[target]
        const value = figures === undefined ? NaN : metric.of(figures)
        return Number.isFinite(value) ? value : NaN
      })
      if (!values.some(Number.isFinite)) continue
      const changes = findChangePoints(values, options).map((change): HistoryChange => ({
        ...change,
        target,
        metric: metric.id,
        run: ordered[change.index]?.label ?? '',
        direction: (change.after > change.before) === (metric.worse === 'higher') ? 'worse' : 'better'
      }))
      series.push({ target, metric, values, changes })
    }
  }
  const changes = series.flatMap((entry) => entry.changes).sort((a, b) => a.index - b.index)
  // a worse step stands when no later step of the same figure brought it back to (or past) where it started
  const standing = series.flatMap((entry) => entry.changes.filter((change) => {
    if (change.direction !== 'worse') return false
    const last = entry.changes.at(-1)
    if (last === undefined) return false
    const better = (a: number, b: number): boolean => entry.metric.worse === 'higher' ? a <= b : a >= b
    return !better(last.after, change.before)
  }))
  return { scenario, runs: ordered, targets, series, changes, standing, minRuns: Math.max(2, options.minRuns ?? 3) }
}
