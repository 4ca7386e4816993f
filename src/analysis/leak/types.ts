/** Shapes shared by the leak detector, its baselines and the synthetic corpus. */

/** One memory sample of a target. */
export interface MemorySample {
  /** Seconds since the run started. */
  tSec: number
  /** Resident set size of the process tree. */
  rssBytes: number
  /** V8 heapUsed (ideally after a major GC) when the target reports it. */
  heapBytes?: number | undefined
  /** The heap's committed size (V8 total_heap_size); memory outside the heap is RSS less this, else RSS less heapBytes. */
  heapCommittedBytes?: number | undefined
  /** Name of the load phase the sample fell in (`warmup` and `cooldown` are treated specially). */
  phase?: string | undefined
  /** Requests per second offered during the sample's interval. */
  load?: number | undefined
}

/** Everything the detector needs about one target. */
export interface LeakInput {
  samples: readonly MemorySample[]
  /** Container or cgroup memory limit, for the time-to-limit projection and the minimum growth that matters. */
  memoryLimitBytes?: number | undefined
  /** The scenario's `checks.leak.maxGrowth`, in bytes per second. */
  maxGrowthBytesPerSec?: number | undefined
  /** Times (s) the harness saw the target restart. */
  restartsAtSec?: readonly number[] | undefined
}

/** The four verdicts of a leak analysis. */
export type LeakVerdict = 'leak' | 'saturating' | 'stable' | 'inconclusive'

/** Which memory series the verdict was drawn from. */
export type MemorySignal = 'heap' | 'rss'

/** A value at a time; the currency of the series helpers. */
export interface TimedValue {
  tSec: number
  value: number
}

/** Outcome of comparing a leak result with `checks.leak`. */
export interface LeakCheckOutcome {
  status: 'pass' | 'fail' | 'inconclusive'
  /** Growth rate the check judged, bytes per second. */
  observed: number
  /** The limit it was judged against, bytes per second. */
  limit: number
  unit: 'bytes/s'
  message: string
}

/** The detector's answer for one target. */
export interface LeakResult {
  verdict: LeakVerdict
  /** Theil–Sen slope of the analysed series (NaN when there was too little data). */
  slopeBytesPerSec: number
  /** 95% confidence interval of the slope (Sen's, widened for autocorrelation). */
  slopeCi: [number, number]
  /** Two-sided Mann–Kendall p-value with the Hamed–Rao correction. */
  pValue: number
  signal: MemorySignal
  /** Slope over the last third of the longest steady-load block divided by the overall slope (NaN unless the slope is positive). */
  tailToOverallRatio: number
  /** Seconds until RSS would reach the memory limit at this slope (leaks with a known limit only). */
  timeToLimitSec?: number | undefined
  /** One sentence a person understands. */
  reason: string
  /** Trend line for the report: value(t) = interceptBytes + slopeBytesPerSec · (t − t0Sec), drawn from t0Sec to t1Sec. */
  fit: { t0Sec: number, t1Sec: number, interceptBytes: number }
  /** Growth below this rate is not called a leak. */
  minGrowthBytesPerSec: number
  /** How the series was prepared, for the report and for debugging a verdict. */
  details: LeakDetails
  /** Present when `maxGrowthBytesPerSec` was given. */
  check?: LeakCheckOutcome | undefined
  /** Present when the leak was judged against the requests served (the load changed during the run). */
  perRequest?: PerRequestGrowth | undefined
  /** The slope in the load's terms, when every analysed sample carries its load. */
  underLoad?: GrowthUnderLoad | undefined
}

/** Wall-clock growth restated for the time under load and for the requests served. */
export interface GrowthUnderLoad {
  /** Share of the analysed samples taken while the target was under load. */
  share: number
  /** Slope over that share: what continuous load at the run's rate would grow. */
  slopeBytesPerSec: number
  /** Slope over the mean load: bytes kept per 1,000 requests. */
  bytesPerThousandRequests: number
  /** Mean load while under load, requests per second. */
  loadWhileLoaded: number
}

/** Growth per request served, with the load the wall-clock figures were converted at. */
export interface PerRequestGrowth {
  bytesPerRequest: number
  /** 95% interval. */
  ci: [number, number]
  /** Mean load of the analysed span, requests per second. */
  meanLoad: number
}

/** The intermediate figures behind a verdict. */
export interface LeakDetails {
  /** Samples per lower-envelope window. */
  windowSamples: number
  /** Number of envelope points the tests ran on. */
  windows: number
  /** Hamed–Rao variance inflation n/n* actually applied (never below 1). */
  varianceFactor: number
  /** Seconds of warm-up left out at the start of the analysed segment. */
  warmupTrimmedSec: number
  /** Restarts found (reported or detected as a drop below half the previous RSS). */
  restarts: number
  /** Share of the expected samples that are present in the analysed segment. */
  coverage: number
  /** Analysed time range (s). */
  fromSec: number
  toSec: number
  /** Blocks of steady load the trend was measured within (phases, less ramps). */
  blocks: number
  /** Phases left out because their load changed within them. */
  skippedPhases: string[]
  /** Levelling-off curve against straight line on the longest block (saturating at F ≥ 8). */
  plateauF: number
  /** Where the best levelling-off curve turns flat (s). */
  bendSec: number
  /** Present when a cooldown phase was analysed: memory kept after the load fell, bytes. */
  cooldownRetainedBytes?: number | undefined
  /** Memory rise during the load, bytes, measured the same way. */
  cooldownRiseBytes?: number | undefined
}
