/**
 * The comparison of an interleaved or concurrent run, paired: each round of slices (interleaved: old's and new's turn
 * at the same part of the plan) or each window of moments side by side (concurrent) gives one log(new/old) per metric,
 * so the drift both services share cancels instead of widening the interval.
 */
import { pooledPercentileUs } from '../../metrics/histogram-values.js'
import type { ScheduleMode } from '../../plan/schedule.js'
import { comparePaired, type PairedInput } from './compare-paired.js'
import { isComparedPhase, toResultMetric, type ComparisonContext, type MetricSet } from './comparison-context.js'
import { pairRounds, pairWindows, roundContrasts, type Round } from './rounds.js'
import { slicesOf, type SliceFigures } from './slices.js'

const sum = (rounds: readonly Round[], side: 'old' | 'new', value: (slice: SliceFigures) => number): number =>
  rounds.reduce((total, round) => total + value(round[side]), 0)

/** The metrics of an interleaved (`rounds`) or concurrent (`windows`) run. */
export function pairedMetrics (context: ComparisonContext, schedule: Exclude<ScheduleMode, 'sequential'>): MetricSet {
  const { tolerance } = context
  const comparedPhases = context.phases.filter(isComparedPhase)
  const compared = new Set(comparedPhases.map((phase) => phase.name))
  const rounds = schedule === 'interleaved'
    ? pairRounds(slicesOf(context.lines, context.old), slicesOf(context.lines, context.new), compared)
    : pairWindows(context.lines, context.old, context.new, compared)
  const unit = schedule === 'interleaved' ? 'rounds' : 'windows'
  const kindOf = new Map(comparedPhases.map((phase) => [phase.name, phase.kind]))
  const openRounds = rounds.filter((round) => kindOf.get(round.phase) === 'open')
  const closedRounds = rounds.filter((round) => kindOf.get(round.phase) === 'closed')
  // latency (and CPU and memory with it) from open-model phases, where both got the same arrival plan; in closed-model
  // phases latency only mirrors throughput (Little's law)
  const loadRounds = openRounds.length > 0 ? openRounds : closedRounds
  const seconds = (list: readonly Round[]): number => list.length === 0 ? 0 : list.reduce((total, round) => total + (round.old.activeMs + round.new.activeMs) / 1000, 0) / list.length
  const paired = (name: PairedInput['name'], list: readonly Round[], value: (slice: SliceFigures) => number, pooled: { old: number, new: number }, direction: PairedInput['direction'], format: PairedInput['format']): ReturnType<typeof comparePaired> =>
    comparePaired({ name, contrasts: roundContrasts(list, value), old: pooled.old, new: pooled.new, direction, tolerance: tolerance(name as Parameters<typeof tolerance>[0]), unit, unitSeconds: seconds(list), sequential: context.sequential, format })
  const ms = (value: number): string => Number.isFinite(value) ? `${value.toFixed(2)} ms` : 'no responses'
  const latency = ([['p50', 50], ['p95', 95], ['p99', 99]] as const).map(([name, percentile]) => {
    const pooled = (side: 'old' | 'new'): number => pooledPercentileUs(loadRounds.map((round) => round[side].latency), percentile) / 1000
    return toResultMetric(paired(name, loadRounds, (slice) => pooledPercentileUs([slice.latency], percentile), { old: pooled('old'), new: pooled('new') }, 'higher-is-worse', ms), 'ms')
  })
  const rate = (slice: SliceFigures): number => slice.activeMs <= 0 ? NaN : slice.answered / (slice.activeMs / 1000)
  const pooledRate = (side: 'old' | 'new'): number => sum(closedRounds, side, (slice) => slice.answered) / (sum(closedRounds, side, (slice) => slice.activeMs) / 1000)
  // in open-model phases the plan fixes the throughput: only closed-model phases can show a difference
  const throughput = closedRounds.length === 0
    ? []
    : [toResultMetric(paired('throughput', closedRounds, rate, { old: pooledRate('old'), new: pooledRate('new') }, 'lower-is-worse', (v) => `${v.toFixed(0)} req/s`), 'req/s')]
  const sampled = loadRounds.some((round) => Number.isFinite(round.old.cpuMs) && Number.isFinite(round.new.cpuMs))
  const cpuPerRequest = (slice: SliceFigures): number => slice.answered === 0 ? NaN : slice.cpuMs / slice.answered
  const pooledCpu = (side: 'old' | 'new'): number => {
    const usable = loadRounds.filter((round) => Number.isFinite(round[side].cpuMs))
    return sum(usable, side, (slice) => slice.cpuMs) / sum(usable, side, (slice) => slice.answered)
  }
  const meanRss = (side: 'old' | 'new'): number => {
    const values = loadRounds.map((round) => round[side].rssMeanBytes).filter(Number.isFinite)
    return values.reduce((total, value) => total + value, 0) / values.length
  }
  const resources = !sampled
    ? []
    : [
        toResultMetric(paired('cpuPerRequest', loadRounds, cpuPerRequest, { old: pooledCpu('old'), new: pooledCpu('new') }, 'higher-is-worse', (v) => `${v.toFixed(3)} ms CPU`), 'ms'),
        toResultMetric(paired('rssMean', loadRounds, (slice) => slice.rssMeanBytes, { old: meanRss('old'), new: meanRss('new') }, 'higher-is-worse', (v) => `${(v / 1e6).toFixed(1)} MB`), 'bytes')
      ]
  // looked at after every round, the error rate is judged on per-round differences with the same always-valid
  // interval (a pooled rate test looked at again and again would have to spend α ever more thinly); when no round saw
  // a failure those differences are all zero and claim a zero-width interval, so the pooled test with α spent judges
  const failureRate = (slice: SliceFigures): number => slice.requests === 0 ? NaN : slice.failed / slice.requests
  const pooledFailures = (side: 'old' | 'new'): number => sum(rounds, side, (slice) => slice.failed) / sum(rounds, side, (slice) => slice.requests)
  const anyFailed = rounds.some((round) => round.old.failed > 0 || round.new.failed > 0)
  const errorRate = context.sequential === undefined || tolerance('errorRate').kind !== 'points' || !anyFailed
    ? undefined
    : toResultMetric(comparePaired({
      name: 'errorRate', contrasts: roundContrasts(rounds, failureRate, 'difference'), old: pooledFailures('old'), new: pooledFailures('new'), direction: 'higher-is-worse', tolerance: tolerance('errorRate'),
      unit, unitSeconds: seconds(rounds), sequential: context.sequential, scale: 'difference', format: (v) => `${(v * 100).toFixed(3)}%`
    }), 'fraction')
  return { latency, throughput, resources, ...(errorRate === undefined ? {} : { errorRate }) }
}
