import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { JourneyRecorder } from '../metrics/journey-recorder.js'
import type { TargetRecorder } from '../metrics/recorder.js'
import type { CompiledJourney } from '../scenario/compile-journeys.js'
import type { CompiledRequest } from '../scenario/compiled.js'
import { applyCaptures, runStepRequest, type StepOutcome } from './journey-step.js'
import type { IterationOptions, JourneySource, StepSender } from './journey-source.js'
import type { RequestMix } from './request-mix.js'

/** Failure reasons quoting a measured time would never repeat; keep the limit only. */
function reasonKey (reason: string): string {
  return reason.replace(/^latency [\d.]+ ms over/, 'latency over')
}

/** Picks journeys or requests by weight and runs journey iterations, recording each step in the target's totals and per journey. */
export class JourneyRunner implements JourneySource {
  private readonly cumulative: number[] = []
  private readonly journeyWeight: number
  private readonly totalWeight: number

  constructor (
    readonly journeys: readonly CompiledJourney[],
    private readonly mix: RequestMix,
    private readonly recorder: TargetRecorder,
    readonly journeyRecorder: JourneyRecorder
  ) {
    let sum = 0
    for (const journey of journeys) {
      sum += journey.weight
      this.cumulative.push(sum)
    }
    this.journeyWeight = sum
    this.totalWeight = sum + mix.requests.reduce((total, request) => total + request.weight, 0)
  }

  /** A runner for `journeys` with a fresh per-step recorder. */
  static create (journeys: readonly CompiledJourney[], mix: RequestMix, recorder: TargetRecorder): JourneyRunner {
    const journeyRecorder = new JourneyRecorder(journeys.map((journey) => ({ name: journey.name, steps: journey.requestSteps.map((step) => step.name) })))
    return new JourneyRunner(journeys, mix, recorder, journeyRecorder)
  }

  /** True when the scenario has journeys (a runner may exist only to run hooks). */
  get hasJourneys (): boolean {
    return this.journeys.length > 0
  }

  /** The index of a journey chosen by weight, or -1 when a single request of the mix should go instead. */
  pick (): number {
    if (this.journeyWeight <= 0) return -1
    const r = this.mix.random() * this.totalWeight
    if (r >= this.journeyWeight) return -1
    for (let i = 0; i < this.cumulative.length; i++) {
      if (r < (this.cumulative[i] ?? 0)) return i
    }
    return this.cumulative.length - 1
  }

  private record (outcome: StepOutcome, failure: string | undefined, kind: string | undefined, sentInSlice: number): void {
    const latencyUs = outcome.latencyMs === undefined ? undefined : outcome.latencyMs * 1000
    if (outcome.status !== undefined) this.recorder.response(latencyUs ?? 0, outcome.status, failure === undefined ? undefined : kind ?? 'expectation', sentInSlice)
    else this.recorder.error(kind ?? 'error', latencyUs, sentInSlice)
  }

  /** Runs one iteration of journey `index` from `intendedMs`; true when every step passed. */
  async run (index: number, send: StepSender, intendedMs: number, options: IterationOptions = {}): Promise<boolean> {
    const journey = this.journeys[index]
    if (journey === undefined) return false
    const endMs = options.endMs ?? Infinity
    this.journeyRecorder.started(index)
    const vars: Record<string, unknown> = {}
    let intended = intendedMs
    let stepIndex = 0
    for (const step of journey.steps) {
      if (step.kind === 'think') {
        intended += step.ms
        continue
      }
      if (intended >= endMs || options.signal?.aborted === true) return false
      // timers may fire a little before performance.now() reaches the intended time: wait again for the rest
      for (let wait = intended - performance.now(); wait > 0; wait = intended - performance.now()) {
        try {
          await sleep(Math.ceil(wait), undefined, options.signal === undefined ? undefined : { signal: options.signal })
        } catch {
          return false
        }
      }
      if (options.countSends === true) this.recorder.sent((performance.now() - intended) * 1000)
      const rendered = this.mix.render(step.request, vars)
      const slice = this.recorder.slice
      const outcome = await runStepRequest(step.request, rendered, send, step.needsBody, intended, step.request.hooks === undefined ? undefined : this.mix.hookContext(vars))
      let failure = outcome.failure
      let kind = outcome.errorKind
      if (failure === undefined && step.captures.length > 0 && outcome.response !== undefined) {
        failure = applyCaptures(step.captures, outcome.response, vars)
        if (failure !== undefined) kind = 'expectation'
      }
      this.record(outcome, failure, kind, slice)
      this.journeyRecorder.step(index, stepIndex, outcome.latencyMs === undefined ? undefined : outcome.latencyMs * 1000, failure !== undefined)
      options.onStep?.({ journey: journey.name, step: step.name, ok: failure === undefined, reason: failure, status: outcome.status, latencyMs: outcome.latencyMs })
      if (failure !== undefined) {
        this.journeyRecorder.failed(index, `${step.name}: ${reasonKey(failure)}`)
        return false
      }
      // the next step is due when this one ended, plus any think time before it
      intended = performance.now()
      stepIndex++
    }
    this.journeyRecorder.completed(index)
    return true
  }

  /** Sends one request of the mix, measured from `intendedMs` (default now); true when it passed. */
  async runRequest (spec: CompiledRequest, send: StepSender, options: IterationOptions = {}, intendedMs?: number): Promise<boolean> {
    const intended = intendedMs ?? performance.now()
    const slice = this.recorder.slice
    const outcome = await runStepRequest(spec, this.mix.render(spec), send, spec.expect.needsBody, intended, spec.hooks === undefined ? undefined : this.mix.hookContext())
    this.record(outcome, outcome.failure, outcome.errorKind, slice)
    options.onStep?.({ journey: spec.name, step: 'request', ok: outcome.failure === undefined, reason: outcome.failure, status: outcome.status, latencyMs: outcome.latencyMs })
    return outcome.failure === undefined
  }
}
