/**
 * Did memory fall back when the load did? Compares the floor at the start of
 * the load with the floor late in a `cooldown` phase: both at low load, so a
 * difference is memory the service kept, not memory the load was using.
 */
import type { TimedValue } from './types.js'
import { lowerEnvelope } from './envelope.js'
import { medianOf } from './theil-sen.js'

/** One-sided 1% normal quantile: retained memory must be this many standard errors above zero to count. */
const retainedZ = 2.326

/** What the cooldown showed. */
export interface CooldownAnalysis {
  /** True when memory came back to within noise of its level at the start of the load. */
  returned: boolean
  /** Floor late in cooldown minus floor at the start of the load, bytes. */
  retainedBytes: number
  /** Highest floor under load minus the floor at the start, bytes. */
  riseBytes: number
  /** retainedBytes over its standard error. */
  z: number
  /** Seconds between the start block and the late-cooldown block. */
  elapsedSec: number
}

/**
 * Compares the start of the load (while it is still at its base rate, when a ramp follows) with the second
 * half of the cooldown. Undefined when either gives fewer than two envelope points.
 */
export function analyseCooldown (
  mainEnvelope: readonly TimedValue[],
  cooldown: readonly TimedValue[],
  windowSamples: number,
  noiseBytes: number,
  minGrowthBytesPerSec: number,
  baseLoad: { untilSec: number, main: readonly TimedValue[] } = { untilSec: Infinity, main: [] }
): CooldownAnalysis | undefined {
  const k = Math.max(1, Math.min(windowSamples, Math.floor(cooldown.length / 4)))
  const cooldownEnvelope = lowerEnvelope(cooldown, k)
  const cooldownStart = cooldown[0]?.tSec ?? 0
  const cooldownEnd = cooldown[cooldown.length - 1]?.tSec ?? 0
  const late = cooldownEnvelope.filter((p) => p.tSec >= (cooldownStart + cooldownEnd) / 2)
  // the start level is taken at base load: after a ramp, the start of the steady part carries the load's own memory
  let early = mainEnvelope.slice(0, Math.max(3, Math.ceil(0.15 * mainEnvelope.length))).filter((p) => p.tSec < baseLoad.untilSec)
  if (early.length < 2) {
    const atBase = baseLoad.main.filter((p) => p.tSec < baseLoad.untilSec)
    early = atBase.length >= 2 ? lowerEnvelope(atBase, Math.max(1, Math.floor(atBase.length / 2))) : []
  }
  if (late.length < 2 || early.length < 2) return undefined
  const startLevel = medianOf(early.map((p) => p.value))
  const retainedBytes = medianOf(late.map((p) => p.value)) - startLevel
  const riseBytes = Math.max(...runningMedian3(mainEnvelope.map((p) => p.value))) - startLevel
  // Standard error of a difference of medians: √(π/2)·σ·√(1/n₁ + 1/n₂).
  const standardError = Math.sqrt(Math.PI / 2) * noiseBytes * Math.sqrt(1 / early.length + 1 / late.length)
  const elapsedSec = medianOf(late.map((p) => p.tSec)) - medianOf(early.map((p) => p.tSec))
  const z = standardError > 0 ? retainedBytes / standardError : retainedBytes > 0 ? Infinity : 0
  const returned = z < retainedZ || retainedBytes < minGrowthBytesPerSec * elapsedSec
  return { returned, retainedBytes, riseBytes, z, elapsedSec }
}

/** Median of each value with its neighbours, so one spike does not count as the peak. */
function runningMedian3 (values: readonly number[]): number[] {
  if (values.length < 3) return [...values]
  return values.map((_, i) => medianOf(values.slice(Math.max(0, i - 1), Math.min(values.length, i + 2))))
}
