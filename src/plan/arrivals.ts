/** Open-model arrival schedules: pure functions from a rate profile to intended send times. */

/** When each arrival of one phase is due, in milliseconds from the phase start. */
export interface ArrivalSchedule {
  /** Number of arrivals in the phase. */
  count: number
  /** Intended time of arrival `k` (0-based), in ms from the phase start. */
  timeOfMs: (k: number) => number
  /** Intended rate at `tMs` into the phase, arrivals per second. */
  rateAtMs: (tMs: number) => number
  /** How many arrivals are due before `tMs` into the phase (the index of the first one at or after it). */
  countBeforeMs: (tMs: number) => number
}

/** Evenly spaced arrivals for a constant rate, or a linear ramp from `fromRate` to `toRate` (per second) over `durationMs`. */
export function arrivalSchedule (fromRate: number, toRate: number, durationMs: number): ArrivalSchedule {
  const seconds = durationMs / 1000
  const count = Math.floor(((fromRate + toRate) / 2) * seconds + 1e-9)
  const rateAtMs = (tMs: number): number => fromRate + (toRate - fromRate) * Math.min(Math.max(tMs / durationMs, 0), 1)
  // arrivals planned in [0, t): the ceiling of N(t), the cumulative count
  const cumulative = (tMs: number): number => {
    const t = Math.min(Math.max(tMs, 0), durationMs) / 1000
    return fromRate * t + ((toRate - fromRate) / seconds) * t * t / 2
  }
  const countBeforeMs = (tMs: number): number => Math.min(count, Math.max(0, Math.ceil(cumulative(tMs) - 1e-9)))
  if (count === 0) return { count: 0, timeOfMs: () => 0, rateAtMs, countBeforeMs: () => 0 }
  if (fromRate === toRate) {
    return { count, timeOfMs: (k) => (k * 1000) / fromRate, rateAtMs, countBeforeMs }
  }
  // arrivals so far N(t) = a·t + (b−a)·t²/(2T); the k-th arrival is the root of N(t) = k
  const a = fromRate
  const slope = (toRate - fromRate) / seconds
  return {
    count,
    timeOfMs: (k) => {
      const seconds = (-a + Math.sqrt(Math.max(a * a + 2 * slope * k, 0))) / slope
      return seconds * 1000
    },
    rateAtMs,
    countBeforeMs
  }
}
