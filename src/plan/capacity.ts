/** The step search of `cutover capacity`: pure, so it tests without load. */

/** Capacity search settings with units resolved (req/s, ms). */
export interface CapacitySettings {
  start: number
  /** Linear step; undefined for the automatic search (double until it breaks, then bisect). */
  step: number | undefined
  stepDurationMs: number
  max: number
  /** Closed-model holds that measure the ceiling once the search has found a knee (0: none). */
  ceilingHolds: number
}

/** Defaults when the scenario's `capacity` block leaves a field out. */
export const capacityDefaults = { start: 50, stepDurationMs: 10_000, max: 20_000, ceilingHolds: 3 }

/** Bisection stops when the bracket is narrower than this share of the passing rate. */
export const bisectResolution = 0.05

/** Most bisection steps after the first failure. */
export const maxBisections = 4

/** Why a rate did not pass. */
export type LimitedBy = 'latency' | 'errors' | 'generator' | 'max'

/**
 * How often a failed rate is tried again before the failure counts: a stall of a few seconds, or a busy machine
 * starving the generator, should not end the search. The generator gets more tries than the service: its lateness
 * says nothing about the service.
 */
export const retriesAfter: Record<Exclude<LimitedBy, 'max'>, number> = { latency: 1, errors: 1, generator: 2 }

/** Decides the rates to try, one after another, from what the previous ones showed. */
export class CapacitySearch {
  private lastPass = 0
  private firstFail: number | undefined
  private failReason: LimitedBy = 'max'
  private bisections = 0
  private current: number | undefined
  private done = false
  /** Tries of the current rate so far (1 on its first). */
  private tries = 1
  /** Ceiling holds still to run after the search (set when the search ends on the service). */
  private ceilingLeft = 0

  constructor (private readonly settings: CapacitySettings) {
    this.current = Math.min(settings.start, settings.max)
  }

  /** The next rate to try (during the ceiling holds: the knee they follow), or undefined when the search is over. */
  next (): number | undefined {
    if (!this.done) return this.current
    return this.ceilingLeft > 0 ? this.lastPass : undefined
  }

  /** True when the next step is a ceiling hold (a closed-model measurement after the knee, not part of the search). */
  get holdingCeiling (): boolean {
    return this.done && this.ceilingLeft > 0
  }

  /** Which try of the current rate the next step is (1 on its first). */
  get attempt (): number {
    return this.tries
  }

  /** Records how the current rate went and picks the next one: the same rate again after a failure, up to {@link retriesAfter}. */
  report (passed: boolean, limitedBy: Exclude<LimitedBy, 'max'> = 'latency'): void {
    if (this.holdingCeiling) {
      // a generator at its own ceiling cannot measure the service's: no more holds
      this.ceilingLeft = limitedBy === 'generator' && !passed ? 0 : this.ceilingLeft - 1
      return
    }
    const rate = this.current
    if (rate === undefined || this.done) return
    if (!passed && this.tries <= retriesAfter[limitedBy]) {
      this.tries++
      return
    }
    this.tries = 1
    if (passed) {
      this.lastPass = Math.max(this.lastPass, rate)
    } else {
      if (this.firstFail === undefined || rate < this.firstFail) {
        this.firstFail = rate
        this.failReason = limitedBy
      }
      // the generator cannot say anything about higher rates
      if (limitedBy === 'generator') {
        this.done = true
        return
      }
    }
    this.current = this.pick()
    if (this.current === undefined) this.finish()
  }

  /** Ends the search; a knee the service set (latency or errors) is followed by the ceiling holds. */
  private finish (): void {
    this.done = true
    if (this.firstFail === undefined || this.failReason === 'generator' || this.lastPass <= 0) return
    this.ceilingLeft = this.settings.ceilingHolds
  }

  private pick (): number | undefined {
    const { step, max } = this.settings
    if (this.firstFail === undefined) {
      if (this.lastPass >= max) return undefined
      const next = step === undefined ? this.lastPass * 2 : this.lastPass + step
      return Math.min(Math.round(next), max)
    }
    if (step !== undefined) return undefined
    if (this.bisections >= maxBisections || this.firstFail - this.lastPass <= Math.max(1, this.lastPass * bisectResolution)) return undefined
    this.bisections++
    return Math.round((this.lastPass + this.firstFail) / 2)
  }

  /** The highest passing rate, what stopped the search, and the bracket [last pass, first fail] the knee lies in. */
  result (): { maxRps: number, limitedBy: LimitedBy, bracket: [number, number] } {
    const limitedBy = this.firstFail === undefined ? 'max' : this.failReason
    return { maxRps: this.lastPass, limitedBy, bracket: [this.lastPass, this.firstFail ?? this.lastPass] }
  }
}

/** Fewest and most connections of a ceiling hold. */
export const ceilingConnectionRange: [number, number] = [8, 256]

/**
 * Connections for the closed-model ceiling holds: twice the requests in flight at the knee (Little's law: rate × median
 * latency), within {@link ceilingConnectionRange}: enough to keep the service busy, as wrk does, and a queue short
 * enough not to stretch a short hold (p99 near the knee is a queue's, not the service's, and sized holds far too big).
 */
export function ceilingConnections (kneeRps: number, p50AtKneeMs: number | undefined): number {
  const inFlight = (kneeRps * (p50AtKneeMs !== undefined && Number.isFinite(p50AtKneeMs) ? p50AtKneeMs : 10)) / 1000
  return Math.min(ceilingConnectionRange[1], Math.max(ceilingConnectionRange[0], Math.ceil(2 * inFlight)))
}
