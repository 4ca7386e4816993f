/** The messages between the main thread and its load worker threads (`--workers`). */
import type { PlanShare } from '../../plan/share.js'
import type { EventBatchData } from './recorder-events.js'
import type { ScenarioOverride } from '../../scenario/overrides.js'
import type { ScenarioSource } from '../../scenario/open-scenario.js'

/** What a worker needs to load the scenario as the main thread did and run its share of the plan. */
export interface WorkerInit {
  scenario: ScenarioSource
  /** `--set` and `--url`, applied as the main thread applied them. */
  overrides: ScenarioOverride[]
  /** What the scenario's setup() returned in the main thread (structured-cloned), for the hooks. */
  setupData: unknown
  env: Record<string, string | undefined>
  seed: number
  share: PlanShare
  targets: string[]
}

/** Main thread to worker. */
export type ToWorker =
  | { type: 'segment', id: number, target: string, phaseIndex: number, window: [number, number], dueEpochMs: number }
  | { type: 'flush', id: number }
  | { type: 'close', id: number, graceMs: number }
  | { type: 'abort', target?: string }

/** One target's events since the last batch, and its requests outstanding in this worker now. */
export interface EventBatch {
  target: string
  events: EventBatchData
  inFlight: number
}

/** Worker to main thread: a reply to message `id` (0: ready after init), with the events recorded up to it. */
export type FromWorker =
  | { type: 'reply', id: number, batches: EventBatch[] }
  | { type: 'failed', message: string }
