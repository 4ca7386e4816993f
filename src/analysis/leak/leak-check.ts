/** The `checks.leak` gate: a leak verdict judged against `maxGrowth`, or on its own with `auto`. */
import type { LeakCheckOutcome, LeakResult } from './types.js'
import { formatRate, formatRateInterval } from './format.js'

/**
 * pass / fail / inconclusive for one target. With a limit, a leak fails when
 * its whole interval is above the limit and passes when its whole interval is
 * below it; growth that levelled off is judged by its tail slope; growth that
 * fell back in cooldown passes. With `auto`, a leak verdict fails.
 */
export function leakCheck (result: LeakResult, maxGrowth: number | 'auto'): LeakCheckOutcome {
  const auto = maxGrowth === 'auto'
  const limit = auto ? result.minGrowthBytesPerSec : maxGrowth
  const [low, high] = result.slopeCi
  const observed = result.slopeBytesPerSec
  const outcome = (status: LeakCheckOutcome['status'], message: string, judged = observed): LeakCheckOutcome =>
    ({ status, observed: judged, limit, unit: 'bytes/s', message })
  const interval = `${formatRate(observed)} (95% CI ${formatRateInterval(low, high)})`
  if (result.verdict === 'inconclusive') return outcome('inconclusive', result.reason)
  if (auto) {
    return result.verdict === 'leak'
      ? outcome('fail', `memory leak: ${result.reason}`)
      : outcome('pass', result.reason)
  }
  const limitText = formatRate(limit)
  switch (result.verdict) {
    case 'leak':
      if (low > limit) return outcome('fail', `memory grows ${interval}, above the ${limitText} limit`)
      if (high <= limit) return outcome('pass', `memory grows ${interval}, a leak, but within the ${limitText} limit`)
      return outcome('inconclusive', `memory grows ${interval}; the interval straddles the ${limitText} limit — a longer soak would settle it`)
    case 'saturating': {
      const tail = result.tailToOverallRatio * observed
      return tail <= limit
        ? outcome('pass', `memory grew but levelled off (now ${formatRate(tail)}), within the ${limitText} limit`, tail)
        : outcome('inconclusive', `memory grew and is slowing, but its last third still grows ${formatRate(tail)}, above the ${limitText} limit`, tail)
    }
    case 'stable':
      if (result.details.cooldownRetainedBytes !== undefined || high <= limit) return outcome('pass', result.reason)
      return outcome('inconclusive', `no clear trend, but growth up to ${formatRate(high)} cannot be ruled out against the ${limitText} limit`)
  }
}
