import { CutoverError } from '../core/errors.js'
import type { MeasuredRun, PhaseSummary, RequestCounts, TargetSummary } from '../core/result-types.js'
import { addCounts, emptyCounts } from '../metrics/counters.js'
import { createHistogram, decodeIfWhole, encodeHistogram, mergeInto, subtractFrom, summarizeMs, type Histogram } from '../metrics/histogram.js'
import type { RunPlanFile } from './run-plan-file.js'
import { summarizeResources } from '../sampling/resource-summary.js'
import type { ResourceSample } from '../sampling/sampler.js'
import type { TimelineLine } from './timeline-line.js'

interface Tally {
  counts: RequestCounts
  latency: Histogram
  activeMs: number
  maxThroughput: number
  sent: number
  dropped: number
  late: number
  lagP99: number
  lagMax: number
}

const emptyTally = (): Tally => ({ counts: emptyCounts(), latency: createHistogram(), activeMs: 0, maxThroughput: 0, sent: 0, dropped: 0, late: 0, lagP99: 0, lagMax: 0 })

const decoded = decodeIfWhole

function add (tally: Tally, line: TimelineLine): void {
  addAnswers(tally, line)
  if (line.phase !== 'idle') tally.activeMs += line.intervalMs
  if (line.phase !== 'idle' && line.intervalMs >= 500) tally.maxThroughput = Math.max(tally.maxThroughput, line.throughput)
  tally.sent += line.generator.sent
  tally.dropped += line.generator.dropped
  tally.late += line.generator.late
  tally.lagP99 = Math.max(tally.lagP99, line.generator.sendLagMsP99)
}

/** Adds a line's answers (counts and latency, not its time or generator figures) to a phase. */
function addAnswers (tally: Tally, line: TimelineLine): void {
  addCounts(tally.counts, { total: line.requests, ok: line.ok, failed: line.failed, byStatus: line.byStatus, byError: line.byError })
  const latency = decoded(line.hist)
  if (latency !== undefined) mergeInto(tally.latency, latency)
}

/** Requests a line carried from an earlier slice of another phase move to that phase (their counts and latency). */
function moveCarried (line: TimelineLine, phaseOfSlice: ReadonlyMap<number, string>, tallyOf: (name: string) => Tally): void {
  const lineSlicePhase = line.phase !== 'idle' ? line.phase : line.slice === undefined ? undefined : phaseOfSlice.get(line.slice)
  if (lineSlicePhase === undefined) return
  for (const part of line.carried ?? []) {
    const from = phaseOfSlice.get(part.slice)
    if (from === undefined || from === lineSlicePhase) continue
    const latency = decoded(part.hist)
    const source = tallyOf(lineSlicePhase)
    const destination = tallyOf(from)
    source.counts.total -= part.requests
    source.counts.failed -= part.failed
    source.counts.ok -= part.requests - part.failed
    destination.counts.total += part.requests
    destination.counts.failed += part.failed
    destination.counts.ok += part.requests - part.failed
    if (latency !== undefined) {
      subtractFrom(source.latency, latency)
      mergeInto(destination.latency, latency)
    }
  }
}

const round = (value: number): number => Math.round(value * 100) / 100

function summaryOf (tally: Tally): Pick<PhaseSummary, 'requests' | 'throughput' | 'latencyMs' | 'generator' | 'histogram' | 'durationMs'> {
  const arrivals = tally.sent + tally.dropped
  return {
    durationMs: Math.round(tally.activeMs),
    requests: tally.counts,
    throughput: tally.activeMs <= 0 ? 0 : round((tally.counts.total - tally.dropped) / (tally.activeMs / 1000)),
    latencyMs: summarizeMs(tally.latency),
    // per-request send lag is not in the timeline: the worst interval's p99 stands in for p99 and max
    generator: { sent: tally.sent, dropped: tally.dropped, late: tally.late, behindRate: arrivals === 0 ? 0 : (tally.dropped + tally.late) / arrivals, sendLagMs: { p50: 0, p99: tally.lagP99, max: tally.lagP99 } },
    histogram: encodeHistogram(tally.latency)
  }
}

/**
 * The figures of result.json rebuilt from run.json and timeline.ndjson after cutover stopped before writing it,
 * marked incomplete and interrupted; the checks and the verdict come from the analysis (`cutover report` judges a
 * rebuilt run against the SLOs that run.json holds).
 */
export function rebuildResult (plan: RunPlanFile, lines: TimelineLine[]): MeasuredRun {
  if (lines.length === 0) throw new CutoverError('RUN_DIR_INVALID', 'the run directory has no timeline.ndjson lines to rebuild a result from', { hint: 'the run stopped before its first sampling interval ended' })
  const targets: Record<string, TargetSummary> = {}
  for (const name of Object.keys(plan.targets)) {
    const own = lines.filter((line) => line.target === name)
    if (own.length === 0) continue
    const total = emptyTally()
    const phases = new Map<string, Tally>()
    const samples: ResourceSample[] = []
    const phaseOfSlice = new Map<number, string>()
    const tallyOf = (name: string): Tally => {
      const phase = phases.get(name) ?? emptyTally()
      phases.set(name, phase)
      return phase
    }
    for (const line of own) {
      add(total, line)
      if (line.resources !== undefined) samples.push(line.resources)
      if (line.phase !== 'idle') {
        if (line.slice !== undefined) phaseOfSlice.set(line.slice, line.phase)
        add(tallyOf(line.phase), line)
      } else {
        // answers that came in after a slice ended belong to that slice's phase (as the live figures count them)
        const phase = line.slice === undefined ? undefined : phaseOfSlice.get(line.slice)
        if (phase !== undefined) addAnswers(tallyOf(phase), line)
      }
      moveCarried(line, phaseOfSlice, tallyOf)
    }
    const whole = summaryOf(total)
    const resources = summarizeResources(samples)
    targets[name] = {
      url: plan.targets[name]?.url ?? '',
      requests: whole.requests,
      throughput: { mean: whole.throughput, max: round(total.maxThroughput) },
      latencyMs: whole.latencyMs,
      generator: whole.generator,
      phases: [...phases.entries()].map(([phaseName, tally]) => {
        const planned = plan.phases.find((p) => p.name === phaseName)
        return {
          name: phaseName,
          model: planned?.kind ?? 'open',
          ...summaryOf(tally),
          ...(planned?.kind === 'open' ? { targetRate: (planned.fromRate + planned.toRate) / 2 } : {}),
          ...(planned?.kind === 'closed' ? { connections: planned.connections } : {})
        }
      }),
      histogram: whole.histogram,
      events: [],
      ...(resources === undefined ? {} : { resources: { ...resources, source: 'timeline.ndjson' } }),
      startedAt: plan.startedAt,
      endedAt: own.at(-1)?.ts ?? plan.startedAt
    }
  }
  return {
    schemaVersion: plan.schemaVersion,
    tool: plan.tool,
    scenario: plan.scenario,
    command: plan.command,
    startedAt: plan.startedAt,
    endedAt: lines.at(-1)?.ts ?? plan.startedAt,
    status: 'interrupted',
    schedule: plan.schedule,
    targets,
    failures: [],
    settings: plan.settings,
    environment: plan.environment,
    incomplete: true
  }
}
