/** The synthetic half of `npm run bench:compare`: many slice-structured runs with known effects, judged by cutover. */
import { timelineMetrics, type CompareTolerances } from '../../src/analysis/compare-runs.js'
import { settleStatus } from '../../src/analysis/compare/settle-status.js'
import { wilsonInterval } from '../../src/analysis/stats/wilson.js'
import type { ComparisonMetric } from '../../src/core/result-types.js'
import type { TimelineLine } from '../../src/rundir/timeline-line.js'
import { demoNoise, demoPhases, noEffect, syntheticRun, type Effect, type Layout } from '../../test/support/slice-runs.js'

/** A share with its 95% Wilson interval, for printing. */
export function share (k: number, n: number): string {
  const [low, high] = wilsonInterval(k, n)
  return `${(100 * k / n).toFixed(1)}% (95% CI ${(100 * low).toFixed(1)}–${(100 * high).toFixed(1)}%, ${k}/${n})`
}

const metricsOf = (lines: readonly TimelineLine[], layout: Layout, schedule: 'interleaved' | 'concurrent' | 'sequential', sequential?: { plannedLooks: number, looks: number }, tolerances: CompareTolerances = {}): ComparisonMetric[] =>
  timelineMetrics({ lines, old: 'old', new: 'new', schedule, phases: layout.phases, intervalMs: 500, sliceMs: layout.sliceMs, tolerances, seed: 1, sequential })

/** Per metric: how many runs failed, and how many intervals covered the true effect. */
export interface Tally { runs: number, failed: Record<string, number>, covered: Record<string, number>, anyFailed: number, inconclusive: Record<string, number> }

/** Judges `runs` synthetic runs with `effect`; `truth` is the true ratio of each metric (for coverage). */
export function tallyRuns (layout: Layout, effect: Effect, truth: Record<string, number>, runs: number, seed: number, schedule: 'interleaved' | 'concurrent' | 'sequential' = layout.schedule): Tally {
  const tally: Tally = { runs, failed: {}, covered: {}, anyFailed: 0, inconclusive: {} }
  for (let run = 0; run < runs; run++) {
    const metrics = metricsOf(syntheticRun(layout, effect, demoNoise, seed + run), layout, schedule)
    let any = false
    for (const metric of metrics) {
      if (metric.verdict === 'fail') { tally.failed[metric.name] = (tally.failed[metric.name] ?? 0) + 1; any = true }
      if (metric.verdict === 'inconclusive') tally.inconclusive[metric.name] = (tally.inconclusive[metric.name] ?? 0) + 1
      const expected = truth[metric.name]
      if (expected !== undefined && metric.ci[0] <= expected && expected <= metric.ci[1]) tally.covered[metric.name] = (tally.covered[metric.name] ?? 0) + 1
    }
    if (any) tally.anyFailed++
  }
  return tally
}

/** The end of the k-th round of `phase` in an interleaved timeline: the lines a look after that round sees. */
function linesUpToRound (lines: readonly TimelineLine[], phase: string, rounds: number): TimelineLine[] {
  let seen = 0
  const cut = lines.findIndex((line) => line.phase === phase && ++seen === 2 * rounds)
  return cut < 0 ? [...lines] : lines.slice(0, cut + 1)
}

/** What `--until-settled` did over many A/A (or regressed) runs: false fails, rounds to settle, and how many never settled. */
export interface SettleTally { runs: number, failed: number, settled: number, roundsToSettle: number[] }

/** Runs the looks of `--until-settled` over synthetic runs with up to `maxRounds` rounds of the steady phase. */
export function tallySettling (layout: Layout, effect: Effect, runs: number, seed: number, minRounds: number, maxRounds: number, tolerances: CompareTolerances = {}): SettleTally {
  const planned = layout.phases.find((phase) => phase.name === 'steady')
  const plannedRounds = Math.max(1, Math.round((planned?.durationMs ?? 0) / layout.sliceMs))
  const tally: SettleTally = { runs, failed: 0, settled: 0, roundsToSettle: [] }
  for (let run = 0; run < runs; run++) {
    const lines = syntheticRun({ ...layout, extend: { phase: 'steady', rounds: maxRounds - plannedRounds } }, effect, demoNoise, seed + run)
    let looks = 0
    let final: ComparisonMetric[] = []
    for (let rounds = Math.max(minRounds, plannedRounds); rounds <= maxRounds; rounds++) {
      looks++
      final = metricsOf(linesUpToRound(lines, 'steady', rounds), layout, 'interleaved', { plannedLooks: Math.max(2 * minRounds, plannedRounds), looks }, tolerances)
      if (settleStatus(final, rounds).settled) {
        tally.settled++
        tally.roundsToSettle.push(rounds)
        break
      }
    }
    if (final.some((metric) => metric.verdict === 'fail')) tally.failed++
  }
  return tally
}

export { demoPhases, noEffect }
