/** The per-interval series a baseline keeps, taken from timeline lines the way old-vs-new comparisons take them. */

import { isComparedPhase } from '../compare/comparison-context.js'
import { cpuMsPerRequest, mergeLatencyWindows } from '../compare/latency-windows.js'
import { encodeHistogram } from '../../metrics/histogram.js'
import type { PlannedPhase } from '../../plan/phases.js'
import type { TimelineLine } from '../../rundir/timeline-line.js'
import { maxSeriesEntries, type BaselineSeries } from './baseline-format.js'
import { mergeEvenly, pickEvenly } from './downsample.js'

/** The latency windows `latencyWindows` of compare-runs builds, encoded as HdrHistogram V2 base64 so they can be stored. */
export function encodedLatencyWindows (lines: readonly TimelineLine[]): string[] {
  return mergeLatencyWindows(lines, encodeHistogram)
}

const sixDigits = (value: number): number => Number(value.toPrecision(6))

/** The compared intervals of `target`, reduced to the series a baseline stores (each capped at `max` entries). */
export function targetSeries (lines: readonly TimelineLine[], target: string, phases: readonly PlannedPhase[], intervalMs: number, max = maxSeriesEntries): BaselineSeries {
  const byName = new Map(phases.map((phase) => [phase.name, phase]))
  const own = lines.filter((line) => line.target === target && line.phase !== 'idle' && isComparedPhase(byName.get(line.phase)) && line.intervalMs >= intervalMs * 0.5)
  const open = own.filter((line) => byName.get(line.phase)?.kind === 'open')
  const closed = own.filter((line) => byName.get(line.phase)?.kind === 'closed')
  const latencyModel = open.length > 0 ? 'open' : closed.length > 0 ? 'closed' : 'none'
  const windows = encodedLatencyWindows(open.length > 0 ? open : closed)
  const closedThroughput = closed.map((line) => line.throughput).filter(Number.isFinite)
  const cpu = own.map(cpuMsPerRequest).filter(Number.isFinite).map(sixDigits)
  const rss = own.map((line) => line.resources?.rssBytes ?? NaN).filter(Number.isFinite)
  const requests = own.reduce((sum, line) => ({ failed: sum.failed + line.failed, total: sum.total + line.requests }), { failed: 0, total: 0 })
  return {
    latencyModel,
    latencyWindows: mergeEvenly(windows, max),
    closedThroughput: pickEvenly(closedThroughput, max),
    cpuMsPerRequest: pickEvenly(cpu, max),
    rssBytes: pickEvenly(rss, max),
    requests,
    originalLengths: { latencyWindows: windows.length, closedThroughput: closedThroughput.length, cpuMsPerRequest: cpu.length, rssBytes: rss.length }
  }
}
