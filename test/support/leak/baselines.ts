/**
 * The simple rules the detector is benchmarked against, run on the same input.
 * Every rule gets the same warm-up trimming as the detector (the `warmup`
 * phase, else the first 15%), so the comparison is about the decision rule.
 */
import type { LeakInput, MemorySample, TimedValue } from '../../../src/analysis/leak/types.js'
import { chooseEnvelopeWindow, lowerEnvelope } from '../../../src/analysis/leak/envelope.js'
import { hasHeap } from '../../../src/analysis/leak/prepare.js'
import { minEnvelopeWindows } from '../../../src/analysis/leak/trend.js'
import { longestSegment, olsFit, sampleCoverage, splitAtRestarts, trimWarmup } from '../../../src/analysis/leak/series.js'

/** A baseline's answer. */
export interface BaselineVerdict {
  rule: 'ols' | 'memwatch' | 'coroot'
  leak: boolean
  slopeBytesPerSec: number
  detail: string
}

/** Consecutive rises of post-GC heap memwatch waits for before it emits `leak` (src/memwatch.cc). */
export const memwatchRises = 5

const MiB = 1024 * 1024

function sorted (samples: readonly MemorySample[]): MemorySample[] {
  return samples.filter((s) => Number.isFinite(s.tSec) && Number.isFinite(s.rssBytes)).sort((a, b) => a.tSec - b.tSec)
}

function signalPoints (samples: readonly MemorySample[], useHeap: boolean): TimedValue[] {
  return samples.map((s) => ({ tSec: s.tSec, value: useHeap ? (s.heapBytes ?? NaN) : s.rssBytes })).filter((p) => Number.isFinite(p.value))
}

/** (a) Least squares: leak when the OLS slope of the post-warm-up heap (else RSS) is above zero. */
export function olsSlopeRule (input: LeakInput): BaselineVerdict {
  const points = signalPoints(trimWarmup(sorted(input.samples)).kept, hasHeap(input.samples))
  const { slope } = olsFit(points.map((p) => p.tSec), points.map((p) => p.value))
  return { rule: 'ols', leak: slope > 0, slopeBytesPerSec: slope, detail: `OLS slope ${(slope * 60 / 1e6).toFixed(2)} MB/min` }
}

/**
 * (b) memwatch: leak after five rises in a row of post-GC memory. Post-GC
 * values are the detector's lower envelope of the heap (else RSS), so the
 * rule sees the same floor; any fall resets the count.
 */
export function memwatchRule (input: LeakInput): BaselineVerdict {
  const points = signalPoints(trimWarmup(sorted(input.samples)).kept, hasHeap(input.samples))
  const k = Math.max(1, chooseEnvelopeWindow([points], { minWindows: minEnvelopeWindows }))
  const floor = lowerEnvelope(points, k)
  let rises = 0
  let most = 0
  for (let i = 1; i < floor.length; i++) {
    rises = (floor[i] as TimedValue).value > (floor[i - 1] as TimedValue).value ? rises + 1 : 0
    most = Math.max(most, rises)
  }
  const { slope } = olsFit(floor.map((p) => p.tSec), floor.map((p) => p.value))
  return { rule: 'memwatch', leak: most >= memwatchRises, slopeBytesPerSec: slope, detail: `longest run of rises: ${most} (of ${floor.length} post-GC values)` }
}

/**
 * (c) Coroot's `MemoryGrowthPct` rule (auditor/memory.go) on RSS: ≥ 80% of
 * samples present; split at restarts (a drop below 50%) and keep the longest
 * segment (≥ 10 points, ≥ 1/3 of the series); OLS slope > 0; the last
 * quarter's slope ≥ 0.3 × the overall slope; fitted growth ≥ 5% of the limit
 * (50 MiB without one) per hour. Coroot judges the growth over its one-hour
 * window; a 3-minute soak would never grow 5% of a limit, so the threshold is
 * applied as a rate per hour instead, which is the same rule on an hour of data.
 */
export function corootRule (input: LeakInput): BaselineVerdict {
  const all = trimWarmup(sorted(input.samples)).kept
  const verdict = (leak: boolean, slope: number, detail: string): BaselineVerdict => ({ rule: 'coroot', leak, slopeBytesPerSec: slope, detail })
  if (sampleCoverage(all.map((s) => s.tSec)) < 0.8) return verdict(false, NaN, 'fewer than 80% of samples present')
  const segment = longestSegment(splitAtRestarts(all, (s) => s.rssBytes, input.restartsAtSec ?? []))
  if (segment.length < 10 || segment.length < all.length / 3) return verdict(false, NaN, 'no segment between restarts long enough')
  const x = segment.map((s) => s.tSec)
  const y = segment.map((s) => s.rssBytes)
  const overall = olsFit(x, y).slope
  if (!(overall > 0)) return verdict(false, overall, 'RSS does not grow')
  const tailStart = Math.floor(segment.length * 0.75)
  const tail = olsFit(x.slice(tailStart), y.slice(tailStart)).slope
  if (!(tail >= 0.3 * overall)) return verdict(false, overall, `tail slope ${(tail / overall).toFixed(2)}× the overall slope`)
  const perHourLimit = input.memoryLimitBytes !== undefined ? 0.05 * input.memoryLimitBytes : 50 * MiB
  const perHour = overall * 3600
  return verdict(perHour >= perHourLimit, overall, `grows ${(perHour / MiB).toFixed(0)} MiB/h against ${(perHourLimit / MiB).toFixed(0)} MiB/h`)
}

/** All three baselines on one input. */
export function baselineVerdicts (input: LeakInput): BaselineVerdict[] {
  return [olsSlopeRule(input), memwatchRule(input), corootRule(input)]
}
