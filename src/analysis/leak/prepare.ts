/** Turns raw samples into the part of one memory series the trend tests may look at. */
import type { LeakInput, MemorySample, TimedValue } from './types.js'
import {
  isCooldownPhase, isWarmupPhase, longestSegment, medianIntervalSec, sampleCoverage, splitAtRestarts, trimWarmup
} from './series.js'
import type { LoadedPoint } from './load-adjusted.js'
import { steadyLoadBlocks } from './load-blocks.js'

/** Share of a segment that follows a restart treated as warm-up: a fresh process warms up again, under full load. */
export const restartWarmupFraction = 1 / 2

/** Which series to analyse: the JS heap, RSS, or RSS not explained by the heap (native memory). */
export type SeriesKind = 'heap' | 'rss' | 'non-heap'

/** One series, cut down to what can be analysed. */
export interface PreparedSeries {
  kind: SeriesKind
  /** Post-warm-up samples under load (cooldown left out), in the kept segment. */
  main: TimedValue[]
  /** `main` split at phase boundaries, without phases whose load changed within them (when load is known). */
  blocks: TimedValue[][]
  /** Samples of a trailing `cooldown` phase in the kept segment. */
  cooldown: TimedValue[]
  /** RSS over main and cooldown, for projecting time to the memory limit. */
  rss: TimedValue[]
  /** Main and cooldown with the load of each sample; undefined when some sample has no load. */
  loaded: LoadedPoint[] | undefined
  restarts: number
  warmupTrimmedSec: number
  /** Share of expected samples present in the kept segment. */
  coverage: number
  /** Phases left out because their load changed (ramps). */
  skippedPhases: string[]
  /** Time span of all usable samples, restarts and warm-up included (s). */
  runSpanSec: number
  /** End of the stretch at the start of `main` where the load is still near its lowest (Infinity when load is unknown or flat). */
  baseLoadUntilSec: number
}

/** True when enough samples carry heapBytes for the heap to be the signal. */
export function hasHeap (samples: readonly MemorySample[]): boolean {
  const withHeap = samples.filter((s) => Number.isFinite(s.heapBytes)).length
  return withHeap > 0 && withHeap >= 0.8 * samples.length
}

/** The value of a sample for a series kind. */
export function seriesValue (sample: MemorySample, kind: SeriesKind): number {
  if (kind === 'rss') return sample.rssBytes
  const heap = sample.heapBytes ?? NaN
  if (kind === 'heap') return heap
  // a growing heap commits pages ahead of its use: they are the heap's, not memory outside it
  const committed = sample.heapCommittedBytes
  return sample.rssBytes - (committed !== undefined && Number.isFinite(committed) && committed >= heap ? committed : heap)
}

/**
 * Splits at restarts (reported, or RSS falling below half its previous value),
 * keeps the longest segment, and leaves out its warm-up: the `warmup` phase in
 * the first segment; after a restart, the first half of the segment or the
 * warm-up phase's length, whichever is longer.
 */
export function prepareSeries (input: LeakInput, kind: SeriesKind): PreparedSeries {
  const samples = input.samples
    .filter((s) => Number.isFinite(s.tSec) && Number.isFinite(s.rssBytes) && Number.isFinite(seriesValue(s, kind)))
    .sort((a, b) => a.tSec - b.tSec)
  const segments = splitAtRestarts(samples, (s) => s.rssBytes, input.restartsAtSec ?? [])
  const segment = longestSegment(segments)
  const afterRestart = segment[0] !== undefined && segment[0] !== samples[0]
  let trimmed: MemorySample[]
  let warmupTrimmedSec: number
  if (!afterRestart) {
    const trim = trimWarmup(segment)
    trimmed = trim.kept
    warmupTrimmedSec = trim.trimmedSec
  } else {
    const start = segment[0]?.tSec ?? 0
    const span = (segment[segment.length - 1]?.tSec ?? start) - start
    warmupTrimmedSec = Math.max(warmupPhaseLengthSec(samples), restartWarmupFraction * span)
    trimmed = segment.filter((s) => s.tSec >= start + warmupTrimmedSec)
  }
  const cooldownStart = trimmed.findIndex((s) => isCooldownPhase(s.phase))
  const mainSamples = cooldownStart < 0 ? trimmed : trimmed.slice(0, cooldownStart)
  const cooldownSamples = cooldownStart < 0 ? [] : trimmed.slice(cooldownStart).filter((s) => isCooldownPhase(s.phase))
  const toPoint = (s: MemorySample): TimedValue => ({ tSec: s.tSec, value: seriesValue(s, kind) })
  const { blocks, skippedPhases } = steadyLoadBlocks(mainSamples)
  return {
    kind,
    main: mainSamples.map(toPoint),
    blocks: blocks.map((block) => block.map(toPoint)),
    cooldown: cooldownSamples.map(toPoint),
    rss: trimmed.map((s) => ({ tSec: s.tSec, value: s.rssBytes })),
    loaded: trimmed.every((s) => s.load !== undefined && Number.isFinite(s.load))
      ? trimmed.map((s) => ({ tSec: s.tSec, value: seriesValue(s, kind), load: s.load as number }))
      : undefined,
    restarts: segments.length - 1,
    warmupTrimmedSec,
    coverage: sampleCoverage(segment.map((s) => s.tSec), medianIntervalSec(samples.map((s) => s.tSec))),
    skippedPhases,
    runSpanSec: (samples[samples.length - 1]?.tSec ?? 0) - (samples[0]?.tSec ?? 0),
    baseLoadUntilSec: baseLoadUntilSec(mainSamples)
  }
}

/** Share of the load's range above its lowest value that still counts as base load. */
const baseLoadShare = 0.1

/** When the load first rises more than a tenth of its range above its lowest value (Infinity if it never does). */
function baseLoadUntilSec (samples: readonly MemorySample[]): number {
  const loads = samples.map((s) => s.load).filter((load): load is number => load !== undefined && Number.isFinite(load))
  if (loads.length < samples.length || loads.length === 0) return Infinity
  const low = Math.min(...loads)
  const high = Math.max(...loads)
  if (high <= low * (1 + baseLoadShare)) return Infinity
  const rising = samples.find((s) => (s.load as number) > low + baseLoadShare * (high - low))
  return rising === undefined ? Infinity : rising.tSec
}

/** Length of the `warmup` phase at the start of the run, 0 when there is none. */
function warmupPhaseLengthSec (samples: readonly MemorySample[]): number {
  const first = samples[0]
  if (first === undefined || !isWarmupPhase(first.phase)) return 0
  const end = samples.find((s) => !isWarmupPhase(s.phase))
  return end === undefined ? 0 : end.tSec - first.tSec
}
