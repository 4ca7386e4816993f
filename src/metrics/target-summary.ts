import type { GeneratorSummary, PhaseSummary, TargetEvent, TargetSummary } from '../core/result-types.js'
import { encodeHistogram, summarizeMs, type Histogram } from './histogram.js'
import type { Aggregate, TargetRecorder } from './recorder.js'
import type { PlannedPhase } from '../plan/phases.js'
import { redactUrl } from '../core/redact.js'

const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits

function generatorSummary (aggregate: Aggregate): GeneratorSummary {
  const { sent, dropped, late } = aggregate.generator
  const lag: Histogram = aggregate.sendLag
  const arrivals = sent + dropped
  return {
    sent,
    dropped,
    late,
    behindRate: arrivals === 0 ? 0 : round((dropped + late) / arrivals, 6),
    sendLagMs: lag.totalCount === 0
      ? { p50: 0, p99: 0, max: 0 }
      : { p50: round(lag.getValueAtPercentile(50) / 1000, 3), p99: round(lag.getValueAtPercentile(99) / 1000, 3), max: round(lag.maxValue / 1000, 3) }
  }
}

function throughputOf (aggregate: Aggregate): number {
  const seconds = aggregate.activeMs / 1000
  const answered = aggregate.counts.total - aggregate.generator.dropped
  return seconds <= 0 ? 0 : round(answered / seconds)
}

/** How much of a target's summary to work out: all of it, or what the checks read (during the run, on the load's thread). */
export type SummaryDetail = 'full' | 'checks'

/** The result.json figures of one phase aggregate. */
export function phaseSummary (aggregate: Aggregate, planned: PlannedPhase | undefined): PhaseSummary {
  const summary: PhaseSummary = {
    name: aggregate.name,
    model: aggregate.model,
    durationMs: Math.round(aggregate.activeMs),
    requests: aggregate.counts,
    throughput: throughputOf(aggregate),
    latencyMs: summarizeMs(aggregate.latency),
    generator: generatorSummary(aggregate),
    histogram: encodeHistogram(aggregate.latency)
  }
  if (planned?.kind === 'open') summary.targetRate = (planned.fromRate + planned.toRate) / 2
  if (planned?.kind === 'closed') summary.connections = planned.connections
  return summary
}

/**
 * The result.json figures of one target, from what its recorder collected. `detail: 'checks'` is what judging the
 * checks during the run reads, quickly: no phases and no encoded histograms ('').
 */
export function summarizeTarget (recorder: TargetRecorder, planned: PlannedPhase[], url: URL, events: TargetEvent[], startedAtMs: number, endedAtMs: number, detail: SummaryDetail = 'full'): TargetSummary {
  const encode = detail === 'full'
  const total = recorder.total
  return {
    url: redactUrl(url.href),
    requests: total.counts,
    throughput: { mean: throughputOf(total), max: round(total.maxThroughput) },
    latencyMs: summarizeMs(total.latency),
    generator: generatorSummary(total),
    phases: encode ? recorder.phases.map((phase) => phaseSummary(phase, planned.find((p) => p.name === phase.name))) : [],
    histogram: encode ? encodeHistogram(total.latency) : '',
    events,
    startedAt: new Date(startedAtMs).toISOString(),
    endedAt: new Date(endedAtMs).toISOString()
  }
}
