/** What load drivers and smoke runs need of journeys: pick one by weight, run an iteration, send a single request. */
import type { CompiledRequest } from '../scenario/compiled.js'
import type { StepResponse } from './journey-step.js'
import type { RenderedRequest } from './request-mix.js'

/** Sends one rendered request somewhere (a pooled connection, a worker's own connection). */
export type StepSender = (request: RenderedRequest, readBody: boolean) => Promise<StepResponse>

/** How one step went, for `cutover smoke`. */
export interface StepReport {
  /** The journey, or the request when a single request ran. */
  journey: string
  step: string
  ok: boolean
  reason: string | undefined
  status: number | undefined
  latencyMs: number | undefined
}

/** Options of one iteration. */
export interface IterationOptions {
  /** Steps whose intended start is at or after this time (performance.now() ms) are not run. */
  endMs?: number
  signal?: AbortSignal
  /** Count each step as a generator send (open model: lag behind the intended time). */
  countSends?: boolean
  onStep?: (report: StepReport) => void
}

/** Journeys weighted together with the request mix (implemented by JourneyRunner). */
export interface JourneySource {
  /** The index of a journey chosen by weight, or -1 when a single request of the mix should go instead. */
  pick: () => number
  /** Runs one iteration of journey `index` from `intendedMs`; true when every step passed. */
  run: (index: number, send: StepSender, intendedMs: number, options?: IterationOptions) => Promise<boolean>
  /** Sends one request of the mix (running its hooks), measured from `intendedMs` (default now); true when it passed. */
  runRequest: (spec: CompiledRequest, send: StepSender, options?: IterationOptions, intendedMs?: number) => Promise<boolean>
  /** False when there are no journeys, only requests with hooks that need this promise-based path. */
  readonly hasJourneys: boolean
}
