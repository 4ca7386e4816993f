import type { TargetRecorder } from '../metrics/recorder.js'
import type { PlannedPhase } from '../plan/phases.js'
import type { PlanShare } from '../plan/share.js'
import type { JourneySource } from './journey-source.js'
import type { RequestMix } from './request-mix.js'

/** Everything a driver needs to run one phase against one target. */
export interface PhaseContext {
  target: string
  origin: URL
  recorder: TargetRecorder
  mix: RequestMix
  /** Present when the scenario has journeys: they are weighted together with `mix`. */
  journeys?: JourneySource | undefined
  /** Aborted when the run is interrupted or the target died. */
  signal: AbortSignal
  /** The share of the plan this process or thread runs (shards, workers); the whole plan when absent. */
  share?: PlanShare | undefined
  /**
   * performance.now() at which the window's start is due, when steps keep to a clock shared by shards (so they switch
   * phases and slices at the same moments); absent: the window starts when the driver is called.
   */
  dueMs?: number | undefined
}

/** Runs phases of one load model against one target. One file per model. */
export interface LoadDriver {
  /** Runs one phase, or the slice `window` of it (ms from the phase start); resolves when its time is up (or the signal aborts), failures recorded as data. */
  runPhase: (phase: PlannedPhase, ctx: PhaseContext, window?: [fromMs: number, toMs: number]) => Promise<void>
  /** Waits up to `graceMs` for outstanding requests, then cuts them off and releases connections. */
  close: (graceMs: number) => Promise<void>
}
