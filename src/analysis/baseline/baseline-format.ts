/** The stored baseline file (`baselines/<scenario>.json`): an accepted run, kept small enough to commit. */

import type { EnvironmentInfo } from '../../core/environment.js'
import type { CapacitySummary, GeneratorSummary, LeakSummary, PhaseSummary, ResourceUsage, RunResult, TargetEvent, TargetSummary } from '../../core/result-types.js'
import type { PlannedPhase } from '../../plan/phases.js'

/** Version of the baseline file layout; bumped when a field changes meaning. */
export const baselineSchemaVersion = 1

/** The `kind` every baseline file carries, so a result.json or a scenario is never mistaken for one. */
export const baselineKind = 'cutover-baseline'

/** Most entries kept per stored series: longer series are merged (latency windows) or picked evenly (numbers). */
export const maxSeriesEntries = 300

/**
 * The per-interval data the old-vs-new statistics need, taken from the compared intervals only (not warm-up,
 * not idle, not rate 0, not intervals shorter than half the sampling interval), as `compareTargets` takes them.
 */
export interface BaselineSeries {
  /** Which phases the latency windows come from: open-model ones when there are any, else closed-model ones. */
  latencyModel: 'open' | 'closed' | 'none'
  /** Consecutive intervals merged into windows of at least 200 requests: HdrHistogram V2 compressed base64, µs. */
  latencyWindows: string[]
  /** Requests per second of each closed-model interval. */
  closedThroughput: number[]
  /** CPU milliseconds per request of each sampled interval with at least 10 requests. */
  cpuMsPerRequest: number[]
  /** Resident memory of each sampled interval, bytes. */
  rssBytes: number[]
  /** Failed and total requests over the compared intervals (every interval counted, nothing capped). */
  requests: { failed: number, total: number }
  /** Length of each series before it was capped at {@link maxSeriesEntries}. */
  originalLengths: { latencyWindows: number, closedThroughput: number, cpuMsPerRequest: number, rssBytes: number }
}

/** Everything stored about one target. */
export interface BaselineTarget {
  url: string
  requests: TargetSummary['requests']
  throughput: TargetSummary['throughput']
  latencyMs: TargetSummary['latencyMs']
  generator: GeneratorSummary
  /** Latency of the whole run, HdrHistogram V2 compressed base64, µs. */
  histogram: string
  phases: PhaseSummary[]
  events: TargetEvent[]
  resources?: ResourceUsage
  leak?: LeakSummary
  capacity?: CapacitySummary
  series: BaselineSeries
}

/** What a run is reduced to for a comparison: the part of a baseline file that describes the run itself. */
export interface RunSnapshot {
  scenario: { name: string, description?: string }
  /** The run the figures come from. */
  source: {
    /** Name of the run directory (not its path: the file is meant to be committed). */
    runDir: string
    startedAt: string
    endedAt: string
    command: string
    status: RunResult['status']
    verdict: RunResult['verdict']
    schedule: RunResult['schedule']
    seed: number
  }
  environment: EnvironmentInfo
  /** The load plan, so a comparison can tell when the scenario changed since the baseline was saved. */
  plan: { intervalMs: number, phases: PlannedPhase[] }
  targets: Record<string, BaselineTarget>
}

/** A baseline file as stored. */
export interface BaselineFile extends RunSnapshot {
  schemaVersion: number
  kind: typeof baselineKind
  savedAt: string
  tool: RunResult['tool']
}
