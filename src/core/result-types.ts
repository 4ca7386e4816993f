/** The shapes of result.json (SPEC §3). Times in ms, memory in bytes, CPU in percent of one core, rates as fractions. */

/** Request outcome counters for one interval, phase or run. */
export interface RequestCounts {
  /** Arrivals scheduled or requests started, including dropped ones. */
  total: number
  ok: number
  failed: number
  byStatus: Record<string, number>
  byError: Record<string, number>
}

/** Latency percentiles as result.json reports them, in milliseconds. */
export interface LatencySummaryMs {
  p50: number
  p90: number
  p95: number
  p99: number
  p999: number
  max: number
  mean: number
}

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
  /** What the live-heap probe cost the service, when cutover started it with the probe. */
  heapProbe?: HeapProbeCost
}

/** What the heap probe cost a service (result.json `resources.heapProbe`). */
export interface HeapProbeCost {
  /** Major collections the service ran by itself (the heap was read after each). */
  naturalGcs: number
  /** Collections the probe forced because none happened for a while, and their total time (ms). */
  forcedGcs: number
  forcedGcMs: number
  /** Times a forced collection was due but would have gone over the budget. */
  skippedForBudget: number
  /** CPU time the reporting processes used (ms). */
  serviceCpuMs: number
  /** forcedGcMs / serviceCpuMs. */
  forcedShare: number
  /** forcedGcMs over the processes' running time: the share of time forced collections paused the service. */
  forcedWallShare: number
}


/** result.json `leak` of one target. */
export interface LeakSummary {
  verdict: 'leak' | 'stable' | 'saturating' | 'inconclusive'
  slopeBytesPerSec: number
  slopeCi: [number, number]
  pValue: number
  /** Which memory figure was analysed. */
  signal: 'heap' | 'rss'
  /** Projected seconds until the memory limit, when a limit is known and memory grows. */
  timeToLimitSec?: number
  /** One sentence a person understands. */
  reason: string
  /** The fitted trend, for drawing: memory = interceptBytes + slopeBytesPerSec × (t − t0Sec). */
  fit: { t0Sec: number, interceptBytes: number }
  /** Growth per second while the target was under load (the interleaved schedule leaves it idle half the time), when the load is known. */
  slopeUnderLoadBytesPerSec?: number
  /** Growth per 1,000 requests served, when the load is known. */
  bytesPerThousandRequests?: number
  /** Share of the analysed time the target was under load. */
  underLoadShare?: number
  /** Which growth timeToLimitSec was projected from: under continuous load at the run's rate, or per wall-clock second. */
  projectedAt?: 'under load' | 'wall clock'
}

/** One step of a capacity search. */
export interface CapacityStep {
  rate: number
  throughput: number
  p50Ms?: number
  p99Ms: number
  errorRate: number
  cpuPercent?: number
  rssBytes?: number
  /** CPU cutover's own process used during the hold, in percent of one core: near 100 the generator was its own limit. */
  generatorCpuPercent?: number
  passed: boolean
  /** 2 or 3 when a failed rate was tried again (a stall, or a generator that fell behind, must repeat to count). */
  attempt?: number
  /** What broke, on a step that did not pass. */
  limitedBy?: 'latency' | 'errors' | 'generator'
  /**
   * A ceiling hold after the search (not part of it): a closed-model phase of `connections` connections, whose answered
   * rate (also its `rate`) measures the ceiling.
   */
  overload?: true
  connections?: number
}

/** The most a service answered per second (successful answers) on the ceiling holds, with a 95% interval from their spread. */
export interface CapacityCeiling {
  rps: number
  ci: [number, number]
  /** Ceiling holds measured (those where the generator was not at its own ceiling). */
  holds: number
}

/** result.json `capacity` of one target. */
export interface CapacitySummary {
  maxRps: number
  limitedBy: 'latency' | 'errors' | 'generator' | 'max'
  /** The knee lies in [highest rate that held, lowest rate that broke]. */
  bracket: [number, number]
  curve: CapacityStep[]
  /** When the generator was the limit: the most requests per second it got answered on the steps where it fell behind. */
  generatorCeilingRps?: number
  /** The service's ceiling measured on the ceiling holds (`capacity.ceilingHolds`), when two or more counted. */
  ceiling?: CapacityCeiling
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
  /** Memory-leak verdict from the sampled memory series (issue 5). */
  leak?: LeakSummary
  /** Highest rate that met the SLO, from `cutover capacity` (issue 4). */
  capacity?: CapacitySummary
  /** Per-journey figures; their step requests also count in `requests` and `latencyMs` (issue 9). */
  journeys?: JourneySummary[]
  /** Clinic.js output of a profiled service, relative to the run directory (issue 5). */
  profile?: { tool: 'doctor' | 'heapprofiler' | 'flame', path: string }
  /** When the load against this target ran. */
  startedAt: string
  endedAt: string
}

/** Figures of one step of a journey. */
export interface JourneyStepSummary {
  name: string
  requests: number
  failed: number
  /** From the step's intended start: the arrival for step 1, the previous step's end plus its think time after. */
  latencyMs: LatencySummaryMs
}

/** Figures of one journey against one target. */
export interface JourneySummary {
  name: string
  /** Iterations started; those cut off by the end of a phase are neither completed nor failed. */
  iterations: number
  completed: number
  failed: number
  /** Why iterations failed: `<step>: <reason>` → count. */
  failures: Record<string, number>
  steps: JourneyStepSummary[]
}

/** A problem with a target that stopped its run (exit code 3). */
export interface TargetFailure {
  target: string
  code: string
  message: string
  hint?: string
}

/** One shard of a run split across processes or machines (`--shard I/N`). */
export interface ShardSetting {
  /** Counted from 1, as `--shard` takes it. */
  index: number
  count: number
  /** The common start of every shard's load (ISO 8601). */
  startAt: string
  /** True on the shard that samples the targets' CPU and memory. */
  samples: boolean
}

/** How the run was set up. */
export interface RunSettings {
  intervalMs: number
  seed: number
  sliceMs?: number
  /** Present on a shard's own run directory. */
  shard?: ShardSetting
  /** `--workers`: the load came from this many worker threads. */
  workers?: number
  /** `--set` and `--url` given to the run, as `path=value` (`phases.steady.rate=500`, `targets.new.url=http://…`). */
  overrides?: string[]
}

/** A merged run's shards (`cutover merge`): where each came from and how its generator kept up, per target. */
export interface MergedShard {
  index: number
  runDir: string
  status: RunStatus
  generator: Record<string, TargetSummary['generator']>
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
  settings: RunSettings
  comparison?: ComparisonSummary
  baseline?: BaselineSummary
  shadow?: ShadowSummary
  /** True when rebuilt from timeline.ndjson after cutover itself stopped abruptly, or merged without every shard. */
  incomplete?: boolean
  /** Outputs that could not be written (charts that could not be drawn, a reporter that failed), each with why. */
  reportWarnings?: Array<{ writes: string, message: string }>
  /** `cutover merge`: the shards this run was merged from, with each one's generator lateness. */
  shards?: { count: number, merged: MergedShard[], missing: number[] }
  /** `cutover proxy`: where it listened and what the mirror did (`state` is `running` in the files refreshed during the run). */
  proxy?: ProxySummary
  /** `checks.baseline.history`: the trend of this scenario's recent runs, written as history.html and history.md in the run directory. */
  history?: HistorySummary
  /** `--until-settled`: the phase whose rounds were added, how many rounds and looks it took, and whether it settled. */
  settle?: { phase: string, rounds: number, looks: number, settled: boolean, maxMs: number }
  environment: import('./environment.js').EnvironmentInfo
}

/** result.json `history`: how many runs the trend covers and the steps found (the newest run is this one). */
export interface HistorySummary {
  /** history.html, relative to the run directory. */
  file: string
  runs: number
  /** Every step found, and those for the worse still standing at this run, in words. */
  steps: number
  standing: string[]
  /** fail when a step for the worse stands; inconclusive with too few runs to see one. It decides nothing. */
  verdict: 'pass' | 'fail' | 'inconclusive'
  headline: string
}

/** result.json `proxy`: the live proxy's address, mode and mirror counters. */
export interface ProxySummary {
  listen: string
  mode: 'mirror' | 'rollout'
  state: 'running' | 'stopped'
  /** mode rollout: where it stands, every decision, and the last step's gates. */
  rollout?: {
    state: 'rolling' | 'fell back' | 'complete'
    /** Share of callers on new now. */
    share: number
    step: number
    steps: number[]
    events: Array<{ at: string, kind: string, message: string }>
    gates: Array<{ gate: string, status: string, observed: number, ci: [number, number], limit: number, message: string }>
    /** Callers answered by new. */
    answeredByNew: number
  }
  /** Callers answered (by old). */
  answered: number
  /** `cutover rollout`: the scenario's traffic as its callers saw it through the proxy (every phase, old's and new's answers together). */
  rehearsal?: { phases: string[], callers: TargetSummary }
  mirror: {
    mirrored: number
    compared: number
    dropped: number
    /** Not mirrored because the proxy was busy with callers (the mirror yields; absent in runs before it did). */
    shed?: number
    tooLarge: number
    mutating: number
    differing: number
    noiseSample: number
    endpoints: Array<{ name: string, mirrored: number, differing: number }>
  }
}

/** What a run measured, before the analysis judges it (adds checks, the verdict, the comparison and the baseline). */
export type MeasuredRun = Omit<RunResult, 'checks' | 'verdict' | 'comparison' | 'baseline'>

/** One metric of the new-vs-old comparison. */
export interface ComparisonMetric {
  name: string
  unit: string
  old: number
  new: number
  /** The judged effect: new / old when `scale` is ratio, new − old (in `unit`) when it is difference. */
  ratio: number
  /** 95% interval of the judged effect; null ends when there is none (a single peak value). */
  ci: [number, number]
  method: string
  verdict: 'pass' | 'fail' | 'inconclusive'
  message: string
  /** How the effect is judged: new / old (`ratio`), or new − old in the metric's unit (`difference`). */
  scale?: 'ratio' | 'difference'
  /** The worst acceptable effect on that scale (1.10 for +10%, 0.001 for +0.1pp, bytes/s for memory growth). */
  limit?: number
  /** Paired units the interval rests on (rounds of an interleaved run, windows of a concurrent one). */
  pairs?: number
  /** log(new/old) of each paired unit, in order: what the interval was computed from. */
  contrasts?: number[]
  /** For an inconclusive metric: in one short phrase, what more data would settle it. */
  settle?: string
}

/** result.json `comparison`. */
export interface ComparisonSummary {
  schedule: RunResult['schedule']
  old: string
  new: string
  metrics: ComparisonMetric[]
}

/** result.json `baseline`. */
export interface BaselineSummary {
  file: string
  metrics: Array<{ name: string, unit: string, baseline: number, current: number, ratio: number, scale?: 'ratio' | 'difference', verdict: 'pass' | 'fail' | 'inconclusive', message: string }>
}

/** Three answers to one shadowed request, redacted and shortened. */
export interface ShadowSample {
  request: { method: string, path: string }
  old: { status: number, body: string, headers?: Record<string, string> }
  old2: { status: number, body: string, headers?: Record<string, string> }
  new: { status: number, body: string, headers?: Record<string, string> }
}

/** result.json `shadow`. */
export interface ShadowSummary {
  requests: number
  mismatched: number
  endpoints: Array<{
    name: string
    requests: number
    mismatched: number
    fields: Array<{ path: string, kind: string, rawRate: number, noiseRate: number, verdict: 'real' | 'noise' | 'ignored', samples?: ShadowSample[] }>
  }>
}
