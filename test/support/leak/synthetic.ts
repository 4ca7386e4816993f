/**
 * A seeded corpus of labelled memory series of a Node service for the leak
 * detector's tests and benchmark: leaks that must be found and the shapes
 * that fool simple rules (caches, warm-up, GC sawtooth, load, restarts).
 */
import type { MemorySample } from '../../../src/analysis/leak/types.js'
import { NodeMemoryModel, randomGcProfile, seededUniform, uniform, type Random } from './node-memory-model.js'

const MB = 1e6
const MiB = 1024 * 1024

/** Series that leak: memory keeps growing for as long as the load lasts. */
export const leakKinds = ['linear', 'stepwise', 'under-sawtooth', 'rare-endpoint', 'native', 'load-proportional'] as const
/** Series that do not leak but grow somewhere. */
export const nonLeakKinds = ['cache-plateau', 'warmup-growth', 'sawtooth', 'load-cooldown', 'restart'] as const

/** A kind of leaking series. */
export type LeakKind = typeof leakKinds[number]
/** A kind of non-leaking series. */
export type NonLeakKind = typeof nonLeakKinds[number]
/** Any kind of synthetic series. */
export type SyntheticKind = LeakKind | NonLeakKind

/** Options for {@link syntheticSeries}. */
export interface SyntheticOptions {
  kind: SyntheticKind
  seed: number
  /** Mean leak rate for leak kinds (default: log-uniform 2–20 MB/min). */
  leakBytesPerSec?: number
  /** Soak length (default 180 s: 180 samples at t = 0…179 s). */
  durationSec?: number
  /** Sampling interval (default 1 s). */
  intervalSec?: number
  /** Length of the `warmup` phase (default 10 s). */
  warmupSec?: number
  /** Report heapBytes as well as RSS (default true). */
  withHeap?: boolean
}

/** A labelled series. */
export interface SyntheticSeries {
  label: 'leak' | 'not-leak'
  kind: SyntheticKind
  seed: number
  samples: MemorySample[]
  /** True mean leak rate; 0 for non-leaks. */
  leakBytesPerSec: number
  memoryLimitBytes: number
  restartsAtSec: number[]
  description: string
}

interface Shape {
  /** Extra post-GC heap at t, bytes. */
  heapExtra: (tSec: number) => number
  /** Extra native (non-heap) memory at t, bytes. */
  nativeExtra: (tSec: number) => number
  load: (tSec: number) => number
  phase: (tSec: number) => string
  restartAtSec?: number
  description: string
}

interface ShapeContext {
  random: Random
  durationSec: number
  warmupSec: number
  leakBytesPerSec: number
  baseLoad: number
  heapBaseBytes: number
  nativeBytes: number
}

/** True when the kind leaks. */
export function isLeakKind (kind: SyntheticKind): kind is LeakKind {
  return (leakKinds as readonly string[]).includes(kind)
}

/** One labelled memory series, fully determined by kind and seed. */
export function syntheticSeries (options: SyntheticOptions): SyntheticSeries {
  const random = seededUniform(options.seed * 7919 + kindIndex(options.kind) * 104729 + 1)
  const durationSec = options.durationSec ?? 180
  const intervalSec = options.intervalSec ?? 1
  const warmupSec = options.warmupSec ?? 10
  const leaking = isLeakKind(options.kind)
  const leakBytesPerSec = leaking ? (options.leakBytesPerSec ?? (Math.exp(uniform(random, Math.log(2), Math.log(20))) * MB) / 60) : 0
  const heavy = options.kind === 'under-sawtooth'
  const gc = randomGcProfile(random, heavy ? [20, 30] : [5, 30], heavy ? [5, 12] : [3, 10])
  const heapBaseBytes = uniform(random, 20, 100) * MB
  const ctx: ShapeContext = { random, durationSec, warmupSec, leakBytesPerSec, baseLoad: uniform(random, 100, 400), heapBaseBytes, nativeBytes: gc.nativeBytes }
  const shape = shapeFor(options.kind, ctx)
  const model = new NodeMemoryModel(random, gc)
  const samples: MemorySample[] = []
  let restarted = false
  for (let i = 0; i * intervalSec < durationSec - 1e-9; i++) {
    const tSec = i * intervalSec
    if (shape.restartAtSec !== undefined && !restarted && tSec >= shape.restartAtSec) {
      model.restart(tSec)
      restarted = true
    }
    const memory = model.sample(tSec, heapBaseBytes + shape.heapExtra(tSec), shape.nativeExtra(tSec))
    const sample: MemorySample = { tSec: round3(tSec), rssBytes: memory.rssBytes, phase: shape.phase(tSec), load: Math.round(shape.load(tSec)) }
    if (options.withHeap !== false) sample.heapBytes = memory.heapBytes
    samples.push(sample)
  }
  return {
    label: leaking ? 'leak' : 'not-leak',
    kind: options.kind,
    seed: options.seed,
    samples,
    leakBytesPerSec,
    memoryLimitBytes: ([256, 512, 1024, 2048][Math.floor(random() * 4)] as number) * MiB,
    restartsAtSec: shape.restartAtSec === undefined ? [] : [round3(shape.restartAtSec)],
    description: shape.description
  }
}

const round3 = (value: number): number => Math.round(value * 1000) / 1000
const mbPerMin = (bytesPerSec: number): string => `${((bytesPerSec * 60) / MB).toFixed(1)} MB/min`
const kindIndex = (kind: SyntheticKind): number => [...leakKinds, ...nonLeakKinds].indexOf(kind)

function steadyShape (ctx: ShapeContext, heapExtra: (t: number) => number, description: string, nativeExtra: (t: number) => number = () => 0): Shape {
  return {
    heapExtra,
    nativeExtra,
    load: () => ctx.baseLoad * (1 + 0.05 * (ctx.random() - 0.5)),
    phase: (t) => (t < ctx.warmupSec ? 'warmup' : 'steady'),
    description
  }
}

/** Times of events at a mean gap: jittered steps, or Poisson arrivals. */
function eventTimes (ctx: ShapeContext, meanGapSec: number, poisson: boolean): number[] {
  const times: number[] = []
  let t = uniform(ctx.random, 0, meanGapSec)
  while (t <= ctx.durationSec) {
    times.push(t)
    t += poisson ? -Math.log(1 - ctx.random()) * meanGapSec : meanGapSec * uniform(ctx.random, 0.5, 1.5)
  }
  return times
}

/** Cumulative memory of events that each add `bytesPerEvent` (±50%). */
function staircase (ctx: ShapeContext, times: number[], bytesPerEvent: number): (t: number) => number {
  const sizes = times.map(() => bytesPerEvent * uniform(ctx.random, 0.5, 1.5))
  return (t) => {
    let total = 0
    for (let i = 0; i < times.length && (times[i] as number) <= t; i++) total += sizes[i] as number
    return total
  }
}

interface RampProfile {
  load: (t: number) => number
  phase: (t: number) => string
  /** 0 at the base rate, 1 at the peak. */
  relative: (t: number) => number
}

/** Load of the ramp scenarios: warm-up, ramp up over 30% of the run, hold, cooldown back to the base rate for the last 25%. */
function rampProfile (ctx: ShapeContext): RampProfile {
  const d = ctx.durationSec
  const rampEnd = ctx.warmupSec + 0.3 * d
  const holdEnd = 0.75 * d
  const peak = uniform(ctx.random, 2.5, 5)
  const relative = (t: number): number => {
    if (t < ctx.warmupSec || t >= holdEnd) return 0
    return t < rampEnd ? (t - ctx.warmupSec) / (rampEnd - ctx.warmupSec) : 1
  }
  return {
    relative,
    load: (t) => ctx.baseLoad * (1 + (peak - 1) * relative(t)),
    phase: (t) => (t < ctx.warmupSec ? 'warmup' : t < rampEnd ? 'ramp' : t < holdEnd ? 'steady' : 'cooldown')
  }
}

/** In-flight memory that follows the load with a few seconds' lag (an exponentially weighted past). */
function followLoad (relative: (t: number) => number, bytesAtPeak: number, lagSec: number): (t: number) => number {
  return (t) => {
    let weighted = 0
    let weights = 0
    for (let back = 0; back <= 5 * lagSec; back += 0.5) {
      const w = Math.exp(-back / lagSec)
      weighted += w * relative(t - back)
      weights += w
    }
    return bytesAtPeak * (weighted / weights)
  }
}

function shapeFor (kind: SyntheticKind, ctx: ShapeContext): Shape {
  const rate = ctx.leakBytesPerSec
  const { random, durationSec: d } = ctx
  switch (kind) {
    case 'linear':
    case 'under-sawtooth':
      return steadyShape(ctx, (t) => rate * t, `linear heap leak of ${mbPerMin(rate)}`)
    case 'stepwise': {
      const gap = uniform(random, 8, 20)
      return steadyShape(ctx, staircase(ctx, eventTimes(ctx, gap, false), rate * gap), `heap leak of ${mbPerMin(rate)} in steps every ~${gap.toFixed(0)} s`)
    }
    case 'rare-endpoint': {
      // 0.08–0.5 requests per second reach the leaking endpoint, each leaving a few hundred KB behind.
      const gap = uniform(random, 2, 12)
      return steadyShape(ctx, staircase(ctx, eventTimes(ctx, gap, true), rate * gap),
        `leak of ${mbPerMin(rate)} on a rarely used endpoint (~${((rate * gap) / 1e3).toFixed(0)} KB a hit, one hit every ~${gap.toFixed(0)} s)`)
    }
    case 'native':
      return steadyShape(ctx, () => 0, `native (RSS-only) leak of ${mbPerMin(rate)}`, (t) => rate * t)
    case 'load-proportional': {
      const ramp = rampProfile(ctx)
      let meanLoad = 0
      for (let t = 0; t < d; t++) meanLoad += ramp.load(t) / d
      const perRequest = rate / meanLoad
      const inFlight = followLoad(ramp.relative, uniform(random, 10, 40) * MB, uniform(random, 2, 6))
      const leaked = (t: number): number => {
        let total = 0
        for (let s = 0; s < t; s++) total += perRequest * ramp.load(s) * Math.min(1, t - s)
        return total
      }
      return {
        heapExtra: (t) => inFlight(t) + leaked(t),
        nativeExtra: () => 0,
        load: ramp.load,
        phase: ramp.phase,
        description: `per-request leak averaging ${mbPerMin(rate)} under a load ramp with cooldown`
      }
    }
    case 'cache-plateau': {
      const size = uniform(random, 10, 60) * MB
      const fullAt = uniform(random, 0.25, 0.6) * d
      const exponential = random() < 0.5
      const fill = exponential
        ? (t: number) => size * (1 - Math.exp((-3 * t) / fullAt))
        : (t: number) => size * Math.min(1, t / fullAt)
      return steadyShape(ctx, fill, `cache of ${(size / MB).toFixed(0)} MB ${exponential ? 'filling ever slower' : 'filling linearly'}, full at ${fullAt.toFixed(0)} s`)
    }
    case 'warmup-growth': {
      const size = uniform(random, 10, 40) * MB
      const tau = uniform(random, 3, 12)
      return steadyShape(ctx, (t) => size * (1 - Math.exp(-t / tau)), `warm-up growth of ${(size / MB).toFixed(0)} MB (time constant ${tau.toFixed(0)} s), then flat`)
    }
    case 'sawtooth':
      return steadyShape(ctx, () => 0, 'flat heap under a GC sawtooth')
    case 'load-cooldown': {
      const ramp = rampProfile(ctx)
      const inFlight = followLoad(ramp.relative, uniform(random, 10, 40) * MB, uniform(random, 2, 6))
      return { heapExtra: inFlight, nativeExtra: () => 0, load: ramp.load, phase: ramp.phase, description: 'memory following a load ramp and returning in cooldown' }
    }
    case 'restart': {
      // A fresh process starts near 8 MB of heap and 25 MB of native memory and warms back up.
      const at = uniform(random, 0.35, 0.65) * d
      const tau = uniform(random, 3, 10)
      const settled = uniform(random, 5, 20) * MB
      const warm = (t: number): number => settled * (1 - Math.exp(-t / 5))
      const away = (t: number): number => Math.exp(-(t - at) / tau)
      const heapDrop = ctx.heapBaseBytes + settled - 8 * MB
      const nativeDrop = ctx.nativeBytes - 25 * MB
      return {
        ...steadyShape(ctx, (t) => (t < at ? warm(t) : warm(t) - heapDrop * away(t)), `stable service restarted at ${at.toFixed(0)} s`,
          (t) => (t < at ? 0 : -nativeDrop * away(t))),
        restartAtSec: at
      }
    }
  }
}
