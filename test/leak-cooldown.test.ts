import { describe, expect, it } from 'vitest'
import { analyseCooldown } from '../src/analysis/leak/cooldown.js'
import { lowerEnvelope } from '../src/analysis/leak/envelope.js'
import type { TimedValue } from '../src/analysis/leak/types.js'

const MB = 1e6

/**
 * A per-request leak under a load ramp: 100 MB at base load, 40 MB more in flight at full load (the ramp takes the
 * first 20 s), 0.1 MB/s leaked throughout; then 30 s of cooldown at base load, where the in-flight memory is gone.
 */
function series (): { main: TimedValue[], cooldown: TimedValue[] } {
  const relative = (t: number): number => Math.min(1, t / 20)
  const main = Array.from({ length: 60 }, (_, t) => ({ tSec: t, value: 100 * MB + 40 * MB * relative(t) + 0.1 * MB * t }))
  const cooldown = Array.from({ length: 30 }, (_, i) => ({ tSec: 60 + i, value: 100 * MB + 0.1 * MB * (60 + i) }))
  return { main, cooldown }
}

describe('the cooldown rule compares memory at base load on both sides', () => {
  it('after a ramp, the start level is taken before the load rose: the leaked memory is seen as kept', () => {
    const { main, cooldown } = series()
    const envelope = lowerEnvelope(main, 1)
    // the load passes a tenth of its range after 2 s of the ramp
    const judged = analyseCooldown(envelope, cooldown, 1, 0.5 * MB, 4369, { untilSec: 2, main })
    expect(judged?.returned).toBe(false)
    // kept: the late-cooldown median (t = 75…89, 107.5…108.9 MB → 108.2) minus the base-load start (t = 0…1 → 101.05 MB median of 100 and 102.1)
    expect((judged?.retainedBytes ?? 0) / MB).toBeCloseTo(108.2 - 101.05, 1)
  })

  it('without load information the first 15% of the load is the start, which here is already climbing the ramp', () => {
    const { main, cooldown } = series()
    const judged = analyseCooldown(lowerEnvelope(main, 1), cooldown, 1, 0.5 * MB, 4369)
    // t = 0…8: 100 + 2·t + 0.1·t MB, median at t = 4: 108.4 MB, more than is left in cooldown
    expect((judged?.retainedBytes ?? 0) / MB).toBeCloseTo(108.2 - 108.4, 1)
    expect(judged?.returned).toBe(true)
  })
})
