/** The shapes of result.json (SPEC §3). Times in ms, memory in bytes, CPU in percent of one core, rates as fractions. */

import type { RequestCounts } from '../metrics/counters.js'
import type { LatencySummaryMs } from '../metrics/histogram.js'

/** Version of the result.json layout; bumped when a field changes meaning. */
export const resultSchemaVersion = 1

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'inconclusive'
export type Verdict = 'pass' | 'fail' | 'inconclusive'
export type RunStatus = 'completed' | 'interrupted' | 'failed'

/** One check that decides the verdict. */
export interface CheckResult {
  id: string
  target?: string
  status: CheckStatus
  observed: number
  limit: number
  unit: string
  message: string
}

/** What the load generator did against its plan. */
export interface GeneratorSummary {
  sent: number
  dropped: number
  late: number
  /** Share of arrivals that were dropped or sent more than 10 ms late. */
  behindRate: number
  sendLagMs: { p50: number, p99: number, max: number }
}

/** Figures for one phase of one target. */
export interface PhaseSummary {
  name: string
  model: 'open' | 'closed'
  durationMs: number
  /** Planned arrivals per second (open model); a ramp reports its mean. */
  targetRate?: number
  connections?: number
  requests: RequestCounts
  throughput: number
  latencyMs: LatencySummaryMs
  generator: GeneratorSummary
  /** HdrHistogram V2 compressed base64 of latency in microseconds. */
  histogram: string
}

/** Something that happened to a target: it exited, it restarted. */
export interface TargetEvent {
  /** Seconds since the target's load started. */
  t: number
  type: string
  detail: string
}

/** result.json `resources`: what the sampler saw. */
export interface ResourceUsage {
  samples: number
  rssPeakBytes: number
  rssMeanBytes: number
  cpuMeanPercent: number
  heapPeakBytes?: number
  /** Where the figures come from: `process tree of pid 1234`, a Prometheus URL, a cgroup. */
  source: string
  memoryLimitBytes?: number
}

/** All figures of one target. */
export interface TargetSummary {
  url: string
  requests: RequestCounts
  throughput: { mean: number, max: number }
  latencyMs: LatencySummaryMs
  generator: GeneratorSummary
  phases: PhaseSummary[]
  histogram: string
  events: TargetEvent[]
  /** CPU and memory of the service over the run; absent when nothing could be sampled. */
  resources?: ResourceUsage
  /** When the load against this target ran. */
  startedAt: string
  endedAt: string
}

/** A problem with a target that stopped its run (exit code 3). */
export interface TargetFailure {
  target: string
  code: string
  message: string
  hint?: string
}

/** result.json. */
export interface RunResult {
  schemaVersion: number
  tool: { name: 'cutover', version: string }
  scenario: { name: string, description?: string, file: string }
  command: string
  startedAt: string
  endedAt: string
  status: RunStatus
  verdict: Verdict
  /** How old and new were scheduled against each other. */
  schedule: 'sequential' | 'interleaved' | 'concurrent'
  checks: CheckResult[]
  targets: Record<string, TargetSummary>
  failures: TargetFailure[]
  settings: { intervalMs: number, seed: number, sliceMs?: number }
  environment: import('./environment.js').EnvironmentInfo
}
