/**
 * Slice-structured synthetic runs of two services for the comparison benchmark: the interleaved (or concurrent) layout
 * of a real run, a drift both services share (warm-up: latency falls 40% over the run), AR(1) noise of the machine from
 * slice to slice, heavy-tailed latency (a log-normal body and 2% Pareto spikes), CPU and memory samples. The true
 * effect is known, so coverage and power can be counted.
 */
import { standardNormal } from '../../src/analysis/stats/random.js'
import { seededRandom } from '../../src/core/random.js'
import { createHistogram, recordUs } from '../../src/metrics/histogram.js'
import type { PlannedPhase } from '../../src/plan/phases.js'
import { sliceBounds } from '../../src/plan/schedule.js'
import type { TimelineLine } from '../../src/rundir/timeline-line.js'
import { answeredLine } from './timeline-lines.js'

/** How new differs from old: multipliers of its latency body, its tail spikes and its CPU per request. */
export interface Effect {
  body: number
  tail: number
  cpu: number
}

/** No difference. */
export const noEffect: Effect = { body: 1, tail: 1, cpu: 1 }

/** The demo's plan: an 8 s warm-up ramp, 24 s steady at 300 req/s, a 10 s closed flood of 16 connections, 3 s idle. */
export const demoPhases: PlannedPhase[] = [
  { kind: 'open', name: 'warmup', durationMs: 8000, fromRate: 50, toRate: 300, maxInFlight: 1000 },
  { kind: 'open', name: 'steady', durationMs: 24_000, fromRate: 300, toRate: 300, maxInFlight: 1000 },
  { kind: 'closed', name: 'flood', durationMs: 10_000, connections: 16 },
  { kind: 'open', name: 'cooldown', durationMs: 3000, fromRate: 0, toRate: 0, maxInFlight: 1000 }
]

/** What the machine does to both services. */
export interface Noise {
  /** Total fall of latency over the run from warming up (0.4: the demo's p50 falls 40%). */
  drift: number
  /** Lag-1 autocorrelation and standard deviation of the machine's log-latency factor from slot to slot. */
  ar1: number
  sd: number
}

/** The demo's machine: a 40% warm-up drift, AR(1) noise ρ 0.5 with 8% standard deviation. */
export const demoNoise: Noise = { drift: 0.4, ar1: 0.5, sd: 0.08 }

const bodyMs = 0.8
const spikeChance = 0.02
const cpuMsPerRequest = 0.4

/** A heavy-tailed latency in µs: log-normal body (σ 0.3), and with 2% chance a Pareto (α 2) spike of 5 ms and up. */
function latencyUs (random: () => number, scale: number, effect: Effect): number {
  const body = bodyMs * effect.body * Math.exp(0.3 * standardNormal(random))
  const spike = random() < spikeChance ? effect.tail * 5 / Math.sqrt(1 - random()) : 0
  return Math.max(1, Math.round((body + spike) * scale * 1000))
}

/**
 * The best any method could do on a percentile from `requests` requests a side: the pooled percentiles of i.i.d. draws
 * (no drift, no machine noise), with their true standard error known, judged by cutover's rule (fail when the estimate is
 * past the tolerance and the 95% interval's lower end above no change). The share of `runs` runs that fail.
 */
export function oraclePower (effect: Effect, percentile: number, requests: number, tolerance: number, runs: number, seed = 7): number {
  const random = seededRandom(seed)
  const at = (of: Effect): number => {
    const sorted = Float64Array.from({ length: requests }, () => latencyUs(random, 1, of)).sort()
    return sorted[Math.ceil((percentile / 100) * sorted.length) - 1] as number
  }
  const logRatios = Array.from({ length: runs }, () => Math.log(at(effect) / at(noEffect)))
  const mean = logRatios.reduce((sum, value) => sum + value, 0) / runs
  const se = Math.sqrt(logRatios.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (runs - 1))
  return logRatios.filter((value) => value > Math.log(1 + tolerance) && value - 1.959964 * se > 0).length / runs
}

/** The true ratio new/old of a latency percentile under `effect`, from a million draws of each (no drift or noise: they scale both alike). */
export function trueRatio (effect: Effect, percentile: number, seed = 99): number {
  const random = seededRandom(seed)
  const draws = (of: Effect): Float64Array => Float64Array.from({ length: 1_000_000 }, () => latencyUs(random, 1, of)).sort()
  const at = (sorted: Float64Array): number => sorted[Math.ceil((percentile / 100) * sorted.length) - 1] as number
  return at(draws(effect)) / at(draws(noEffect))
}

/** One timeline line of `target`: `requests` at `rate` over `seconds`, with the machine's factor `scale`. */
function lineOf (target: string, phase: PlannedPhase, slice: number, endSec: number, seconds: number, scale: number, effect: Effect, random: () => number): TimelineLine {
  const requests = phase.kind === 'closed'
    ? Math.round(seconds * 16 / ((bodyMs * effect.body + spikeChance * 10 * effect.tail) * scale / 1000))
    : Math.round(seconds * (phase.fromRate + phase.toRate) / 2)
  const histogram = createHistogram()
  for (let i = 0; i < requests; i++) recordUs(histogram, latencyUs(random, scale, effect))
  const cpuMs = requests * cpuMsPerRequest * effect.cpu * scale * Math.exp(0.05 * standardNormal(random))
  const at = { t: endSec, startMs: Date.UTC(2026, 11, 6), target, phase: phase.name, intervalMs: Math.round(seconds * 1000) }
  return {
    ...answeredLine(at, requests, histogram),
    resources: { rssBytes: 60e6 * (1 + 0.02 * standardNormal(random)), cpuPercent: (cpuMs / (seconds * 1000)) * 100 },
    slice
  }
}

/** The time slots of a run: each a phase window for one target (interleaved) or both (concurrent). */
export interface Layout {
  schedule: 'interleaved' | 'concurrent'
  sliceMs: number
  phases: PlannedPhase[]
  /** Extra rounds of this phase after its planned ones (the `--until-settled` extension). */
  extend?: { phase: string, rounds: number }
}

/**
 * A synthetic run: old and new ran `layout`, new with `effect`; the shared drift falls linearly over the run and the
 * machine's noise is an AR(1) process over time slots. Returns the timeline lines in time order.
 */
export function syntheticRun (layout: Layout, effect: Effect, noise: Noise, seed: number): TimelineLine[] {
  const random = seededRandom(seed)
  const slots: Array<{ phase: PlannedPhase, seconds: number, targets: string[] }> = []
  let turn = 0
  for (const phase of layout.phases) {
    const windows = layout.schedule === 'interleaved' ? sliceBounds(phase.durationMs, layout.sliceMs) : [[0, phase.durationMs] as [number, number]]
    const extra = layout.extend?.phase === phase.name ? layout.extend.rounds : 0
    const all = [...windows, ...Array.from({ length: extra }, () => windows[0] as [number, number])]
    for (const [from, to] of all) {
      if (layout.schedule === 'concurrent') {
        for (let s = 0; s < (to - from) / 500; s++) slots.push({ phase, seconds: 0.5, targets: ['old', 'new'] })
        continue
      }
      const order = turn++ % 2 === 0 ? ['old', 'new'] : ['new', 'old']
      for (const target of order) slots.push({ phase, seconds: (to - from) / 1000, targets: [target] })
    }
  }
  const total = slots.reduce((sum, slot) => sum + slot.seconds, 0)
  const lines: TimelineLine[] = []
  const sliceOf: Record<string, number> = { old: 0, new: 0 }
  let clock = 0
  let ar = 0
  let previousPhase = ''
  for (const slot of slots) {
    ar = noise.ar1 * ar + Math.sqrt(1 - noise.ar1 ** 2) * noise.sd * standardNormal(random)
    const scale = (1 - noise.drift * (clock / total)) * Math.exp(ar)
    clock += slot.seconds
    if (slot.phase.kind === 'open' && slot.phase.fromRate === 0 && slot.phase.toRate === 0) continue
    for (const target of slot.targets) {
      if (layout.schedule === 'interleaved' || slot.phase.name !== previousPhase) sliceOf[target] = (sliceOf[target] ?? 0) + 1
      lines.push(lineOf(target, slot.phase, sliceOf[target] ?? 0, clock, slot.seconds, scale, target === 'new' ? effect : noEffect, random))
    }
    previousPhase = slot.phase.name
  }
  return lines
}
