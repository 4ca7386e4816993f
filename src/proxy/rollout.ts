/**
 * The feature-flag rollout: callers go to new by a stable bucket of their stickiness key while the bucket is below
 * the step's share. Each step holds at least `hold`; then new's callers are judged against old's callers of the same
 * step (rollout-gates.ts): a failed gate falls back (every caller to old at once), otherwise the next step starts; a
 * step with fewer than `minRequests` on a side holds on until it has them. An error burst on new (its failures over
 * the last 5 s clearly above old's) falls back before the hold ends. The operator can fall back or promote any time.
 */
import type { IncomingMessage } from 'node:http'
import type { TargetMemory } from '../analysis/leak-for-run.js'
import { judgeStep, type GateResult, type GateSide, type RolloutGates } from '../analysis/rollout-gates.js'
import { memoryGrowthGate, type MemoryGrowthSetting } from '../analysis/rollout-memory-gate.js'
import { newcombeDifferenceInterval } from '../analysis/stats/wilson.js'
import { createHistogram, recordUs } from '../metrics/histogram.js'
import { bucketOf, stickinessKey, type Stickiness } from './bucket.js'

/** Which service answers a caller. */
export type Side = 'old' | 'new'

/** How the rollout runs. */
export interface RolloutSettings {
  /** Shares of callers on new, increasing, as fractions (0.01 … 1). */
  steps: number[]
  holdMs: number
  gates: RolloutGates & { memoryGrowth?: MemoryGrowthSetting | undefined }
  /** old's and new's memory since the proxy started, for the memoryGrowth gate (absent: no samples). */
  memory?: (() => { old: TargetMemory, new: TargetMemory }) | undefined
  /** Requests each side needs in a step before it is judged. */
  minRequests: number
  stickiness: Stickiness
  /** Mixed into every bucket: another salt reshuffles who is in the first percent. */
  salt: string
  random: () => number
}

/** One decision, for the timeline, the report and the status endpoint. */
export interface RolloutEvent {
  at: string
  kind: 'step' | 'fallback' | 'promote' | 'complete' | 'hold'
  message: string
}

/** How long an error burst is looked at. */
export const burstWindowMs = 5000
/** Fewest failures of new in the window before a burst can fall back. */
const minBurstFailures = 5
/** The error-rate margin of the burst rule when the gates set none. */
const defaultBurstMargin = 0.005

class SideTally {
  requests = 0
  failed = 0
  readonly latency = createHistogram()

  add (latencyMs: number, failed: boolean): void {
    this.requests++
    if (failed) this.failed++
    recordUs(this.latency, latencyMs * 1000)
  }

  gateSide (): GateSide {
    return { requests: this.requests, failed: this.failed, latencyAtRank: (rank) => this.latency.getValueAtPercentile(Math.min(100, (100 * rank) / this.requests)) / 1000 }
  }
}

const percentOf = (share: number): string => `${Number((share * 100).toFixed(2))}%`
const clock = (date: Date): string => date.toISOString().slice(11, 19)

/** The rollout's state. */
export class Rollout {
  state: 'rolling' | 'fell back' | 'complete' = 'rolling'
  stepIndex = 0
  private stepStartedMs: number
  private tallies = { old: new SideTally(), new: new SideTally() }
  /** Per second: requests and failures of each side, for the burst rule. */
  private seconds = new Map<number, { old: [number, number], new: [number, number] }>()
  readonly events: RolloutEvent[] = []
  lastGates: GateResult[] = []

  constructor (private readonly settings: RolloutSettings, nowMs: number, private readonly onEvent: (event: RolloutEvent) => void = () => {}) {
    this.stepStartedMs = nowMs
    if (this.share >= 1) {
      // `steps: [100%]`: nothing to judge against (no caller stays on old); every caller goes to new at once
      this.state = 'complete'
      this.emit('complete', 'rollout complete: every caller goes to new (the only step is 100%)')
      return
    }
    this.emit('step', `step ${percentOf(this.share)}: started; callers whose bucket is below ${percentOf(this.share)} go to new`)
  }

  /** The share of callers on new now. */
  get share (): number {
    if (this.state === 'fell back') return 0
    if (this.state === 'complete') return 1
    return this.settings.steps[this.stepIndex] ?? 1
  }

  /** old or new for this caller. */
  route (req: Pick<IncomingMessage, 'headers' | 'socket'>): Side {
    const share = this.share
    if (share <= 0) return 'old'
    if (share >= 1) return 'new'
    const key = stickinessKey(req, this.settings.stickiness)
    const bucket = key === undefined ? this.settings.random() : bucketOf(this.settings.salt, key)
    return bucket < share ? 'new' : 'old'
  }

  /** A caller's answer from `side`. */
  record (side: Side, latencyMs: number, failed: boolean, nowMs: number): void {
    if (this.state !== 'rolling') return
    this.tallies[side].add(latencyMs, failed)
    const second = Math.floor(nowMs / 1000)
    let entry = this.seconds.get(second)
    if (entry === undefined) {
      entry = { old: [0, 0], new: [0, 0] }
      this.seconds.set(second, entry)
    }
    entry[side][0]++
    if (failed) entry[side][1]++
  }

  /** Called about once a second: the burst rule, and the end of the step's hold. */
  tick (nowMs: number): void {
    if (this.state !== 'rolling') return
    const from = Math.floor((nowMs - burstWindowMs) / 1000)
    let old: [number, number] = [0, 0]
    let candidate: [number, number] = [0, 0]
    for (const [second, entry] of this.seconds) {
      if (second < from) {
        this.seconds.delete(second)
        continue
      }
      old = [old[0] + entry.old[0], old[1] + entry.old[1]]
      candidate = [candidate[0] + entry.new[0], candidate[1] + entry.new[1]]
    }
    if (candidate[1] >= minBurstFailures) {
      // against old's callers of the same seconds, or of the whole step when none came in the window
      const base = old[0] > 0 ? old : [this.tallies.old.requests, this.tallies.old.failed] as [number, number]
      const margin = this.settings.gates.errorRate?.kind === 'points' ? this.settings.gates.errorRate.fraction : defaultBurstMargin
      const [low] = base[0] > 0 ? newcombeDifferenceInterval(candidate[1], candidate[0], base[1], base[0]) : [candidate[1] / candidate[0]]
      if ((low ?? 0) > margin) {
        const rate = candidate[1] / candidate[0]
        this.fallBack(`error burst on new: ${candidate[1]} of its last ${candidate[0]} callers failed (${(rate * 100).toFixed(1)}%) in ${burstWindowMs / 1000} s, old ${base[0] === 0 ? 'had none' : `${((base[1] / base[0]) * 100).toFixed(1)}%`}`)
        return
      }
    }
    if (nowMs - this.stepStartedMs < this.settings.holdMs) return
    const { old: oldTally, new: newTally } = this.tallies
    if (oldTally.requests < this.settings.minRequests || newTally.requests < this.settings.minRequests) {
      if (!this.events.some((event) => event.kind === 'hold' && event.message.startsWith(`step ${percentOf(this.share)}:`))) {
        this.emit('hold', `step ${percentOf(this.share)}: holding on: ${newTally.requests} callers on new and ${oldTally.requests} on old so far, ${this.settings.minRequests} each are needed to judge`)
      }
      return
    }
    this.lastGates = [...judgeStep(oldTally.gateSide(), newTally.gateSide(), this.settings.gates), ...this.memoryGate()]
    const failed = this.lastGates.find((gate) => gate.status === 'fail')
    if (failed !== undefined) {
      this.fallBack(failed.message)
      return
    }
    const passed = this.lastGates.map((gate) => `${gate.gate} ${gate.status}: ${gate.message}`).join('; ')
    this.advance(nowMs, `step ${percentOf(this.share)}: passed after ${Math.round((nowMs - this.stepStartedMs) / 1000)} s on ${newTally.requests} callers on new${passed === '' ? '' : ` — ${passed}`}`)
  }

  /** The memoryGrowth gate on the memory series so far, when it is set and both services are sampled. */
  private memoryGate (): GateResult[] {
    const setting = this.settings.gates.memoryGrowth
    const memory = this.settings.memory?.()
    if (setting === undefined || memory === undefined) return []
    const gate = memoryGrowthGate(memory.old, memory.new, setting)
    return gate === undefined ? [] : [gate]
  }

  private advance (nowMs: number, message: string): void {
    this.emit('step', message)
    this.stepIndex++
    this.stepStartedMs = nowMs
    this.tallies = { old: new SideTally(), new: new SideTally() }
    this.seconds.clear()
    if (this.stepIndex >= this.settings.steps.length || this.share >= 1) {
      this.state = 'complete'
      this.emit('complete', 'rollout complete: every caller goes to new')
      return
    }
    this.emit('step', `step ${percentOf(this.share)}: started`)
  }

  /** Every caller to old at once; the reason is recorded. */
  fallBack (reason: string): void {
    if (this.state === 'fell back') return
    const step = percentOf(this.settings.steps[this.stepIndex] ?? 1)
    this.state = 'fell back'
    this.emit('fallback', `step ${step}: fell back at ${clock(new Date())} — ${reason}`)
  }

  /** The operator skips the remaining steps: every caller to new. */
  promote (): void {
    if (this.state === 'complete') return
    this.state = 'complete'
    this.emit('promote', `promoted at ${clock(new Date())} by the operator: every caller goes to new`)
  }

  private emit (kind: RolloutEvent['kind'], message: string): void {
    const event = { at: new Date().toISOString(), kind, message }
    this.events.push(event)
    this.onEvent(event)
  }
}
