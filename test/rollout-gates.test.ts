// The rollout's gates, buckets and steps (issue 18, item 3), with reference values from scipy and statsmodels.
import { describe, expect, it } from 'vitest'
import { errorRateGate, p99Gate, quantileRanks, type GateSide } from '../src/analysis/rollout-gates.js'
import { bucketOf, parseStickiness, stickinessKey } from '../src/proxy/bucket.js'
import { Rollout, type RolloutSettings } from '../src/proxy/rollout.js'

/** A side of `requests` callers with latencies 1..n ms scaled by `scale`, `failed` of them failed. */
function side (requests: number, failed: number, scale = 1): GateSide {
  return { requests, failed, latencyAtRank: (rank) => rank * scale }
}

describe('rollout gates', () => {
  it('order-statistic ranks around the 99th percentile match scipy', () => {
    // python3: binom.ppf(0.0125, n, 0.99), binom.ppf(0.9875, n, 0.99) + 1 (capped at n + 1)
    expect(quantileRanks(50, 0.99, 0.975)).toEqual([47, 51])
    expect(quantileRanks(100, 0.99, 0.975)).toEqual([96, 101])
    expect(quantileRanks(1000, 0.99, 0.975)).toEqual([982, 997])
    expect(quantileRanks(5000, 0.99, 0.975)).toEqual([4934, 4966])
  })

  it('the error-rate gate is Newcombe\'s interval for the difference (statsmodels confint_proportions_2indep, method newcomb)', () => {
    const worse = errorRateGate(side(1000, 2), side(1000, 40), { kind: 'points', fraction: 0.005 })
    expect(worse?.ci[0]).toBeCloseTo(0.026264719021885347, 10)
    expect(worse?.ci[1]).toBeCloseTo(0.05208462153693171, 10)
    expect(worse?.status).toBe('fail')
    const close = errorRateGate(side(1000, 2), side(1000, 3), { kind: 'points', fraction: 0.005 })
    expect(close?.ci[0]).toBeCloseTo(-0.004622672234195749, 10)
    expect(close?.ci[1]).toBeCloseTo(0.006962355824447105, 10)
    expect(close?.status).toBe('inconclusive')
    expect(errorRateGate(side(20000, 10), side(20000, 11), { kind: 'points', fraction: 0.005 })?.status).toBe('pass')
    expect(worse?.message).toMatch(/^new error rate \+3\.80pp \(95% CI \+2\.63pp … \+5\.21pp\), allowed \+0\.50pp$/)
  })

  it('the p99 gate fails a clearly slower new, and cannot fail on too few callers', () => {
    const slower = p99Gate(side(5000, 0), side(5000, 0, 1.5), { kind: 'relative', fraction: 0.2 })
    // p99 ranks 4950 of each: ratio 1.5; the interval divides the 98.75% order-statistic bounds
    expect(slower?.observed).toBeCloseTo(1.5, 10)
    expect(slower?.ci[0]).toBeCloseTo((4934 * 1.5) / 4966, 10)
    expect(slower?.ci[1]).toBeCloseTo((4966 * 1.5) / 4934, 10)
    expect(slower?.status).toBe('fail')
    expect(slower?.message).toMatch(/^new p99 \+50\.0% \(95% CI \+49\.0% … \+51\.0%\), allowed \+20\.0%$/)
    expect(p99Gate(side(5000, 0), side(5000, 0, 1.01), { kind: 'relative', fraction: 0.2 })?.status).toBe('pass')
    // 60 callers: no upper bound for either p99, so no evidence either way
    expect(p99Gate(side(60, 0), side(60, 0, 3), { kind: 'relative', fraction: 0.2 })?.status).toBe('inconclusive')
  })
})

describe('rollout buckets', () => {
  it('are stable, spread evenly, and a growing share only adds callers', () => {
    const keys = Array.from({ length: 20000 }, (_, i) => `user-${i}`)
    const at = (share: number): Set<string> => new Set(keys.filter((key) => bucketOf('shop', key) < share))
    const five = at(0.05)
    const quarter = at(0.25)
    expect([...five].every((key) => quarter.has(key))).toBe(true)
    // binomial(20000, 0.25): sd 61; ±5 sd
    expect(Math.abs(quarter.size - 5000)).toBeLessThan(310)
    expect(bucketOf('shop', 'user-1')).toBe(bucketOf('shop', 'user-1'))
    expect(bucketOf('other-salt', 'user-1')).not.toBe(bucketOf('shop', 'user-1'))
  })

  it('read the key from a header, a cookie or the address', () => {
    const req = { headers: { 'x-user-id': 'u-7', cookie: 'a=1; session=s%209' }, socket: { remoteAddress: '10.0.0.9' } }
    expect(stickinessKey(req as never, parseStickiness('header:X-User-Id'))).toBe('u-7')
    expect(stickinessKey(req as never, parseStickiness('cookie:session'))).toBe('s 9')
    expect(stickinessKey(req as never, parseStickiness('ip'))).toBe('10.0.0.9')
    expect(stickinessKey(req as never, parseStickiness('cookie:missing'))).toBeUndefined()
  })
})

describe('rollout steps', () => {
  const settings = (overrides: Partial<RolloutSettings> = {}): RolloutSettings => ({
    steps: [0.1, 0.5, 1],
    holdMs: 10_000,
    gates: { errorRate: { kind: 'points', fraction: 0.005 }, p99: { kind: 'relative', fraction: 0.2 } },
    minRequests: 50,
    stickiness: { kind: 'header', name: 'x-user-id' },
    salt: 'test',
    random: () => 0.5,
    ...overrides
  })

  it('moves on after each hold when no gate fails, and completes at 100%', () => {
    const rollout = new Rollout(settings(), 0)
    for (let t = 0; t <= 30_000; t += 100) {
      rollout.record('old', 5, false, t)
      rollout.record('new', 5, false, t)
      if (t % 1000 === 0) rollout.tick(t)
    }
    expect(rollout.state).toBe('complete')
    expect(rollout.events.filter((event) => event.kind === 'step').map((event) => event.message.split(':')[0])).toEqual(['step 10%', 'step 10%', 'step 50%', 'step 50%'])
    expect(rollout.events.at(-1)?.message).toBe('rollout complete: every caller goes to new')
  })

  it('a single 100% step is complete from the start: every caller to new, nothing held or judged', () => {
    const rollout = new Rollout(settings({ steps: [1] }), 0)
    expect(rollout.state).toBe('complete')
    expect(rollout.share).toBe(1)
    expect(rollout.events.map((event) => event.message)).toEqual(['rollout complete: every caller goes to new (the only step is 100%)'])
  })

  it('holds on until both sides have enough callers', () => {
    const rollout = new Rollout(settings(), 0)
    for (let t = 0; t <= 20_000; t += 1000) {
      rollout.record('new', 5, false, t)
      rollout.record('old', 5, false, t)
      rollout.tick(t)
    }
    expect(rollout.stepIndex).toBe(0)
    expect(rollout.events.map((event) => event.kind)).toEqual(['step', 'hold'])
  })

  it('falls back on an error burst within the burst window, before the hold ends', () => {
    const rollout = new Rollout(settings(), 0)
    let fellBackAt: number | undefined
    for (let t = 0; t <= 9000 && fellBackAt === undefined; t += 50) {
      rollout.record('old', 5, false, t)
      // new starts failing every other call 3 s into the step
      rollout.record('new', 5, t >= 3000 && t % 100 === 0, t)
      if (t % 1000 === 0) {
        rollout.tick(t)
        if (rollout.state === 'fell back') fellBackAt = t
      }
    }
    expect(fellBackAt).toBeDefined()
    expect((fellBackAt ?? Infinity) - 3000).toBeLessThanOrEqual(5000)
    expect(rollout.share).toBe(0)
    expect(rollout.events.at(-1)?.message).toMatch(/^step 10%: fell back at \d\d:\d\d:\d\d — error burst on new: \d+ of its last \d+ callers failed/)
  })

  it('falls back when a gate fails at the end of a hold, with the gate\'s evidence', () => {
    const rollout = new Rollout(settings({ minRequests: 1000 }), 0)
    for (let t = 0; t < 10_000; t += 2) {
      rollout.record('old', 10, false, t)
      rollout.record('new', 16, false, t)
    }
    rollout.tick(10_000)
    expect(rollout.state).toBe('fell back')
    expect(rollout.lastGates.map((gate) => `${gate.gate} ${gate.status}`)).toEqual(['errorRate pass', 'p99 fail'])
    expect(rollout.events.at(-1)?.message).toMatch(/fell back at .* — new p99 \+60\.\d% \(95% CI/)
  })
})
