import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { arrivalSchedule } from '../src/plan/arrivals.js'
import { arrivalsOf, describeShare, firstArrivalOf, parseShare, phaseShare, seedFromStartTime, shareCounter, shareOfCount, shareSeed, type PlanShare } from '../src/plan/share.js'
import { shareFromEnvironment, shardOptions } from '../src/cli/shard-option.js'
import { CutoverError } from '../src/core/errors.js'

const sharesOf = (count: number): PlanShare[] => Array.from({ length: count }, (_, index) => ({ index, count }))

/** The arrival indexes a share sends in window [fromMs, toMs), walked as the open-model driver walks them. */
function sentBy (share: PlanShare, schedule: ReturnType<typeof arrivalSchedule>, fromMs: number, toMs: number): number[] {
  const sent: number[] = []
  const last = schedule.countBeforeMs(toMs)
  for (let k = firstArrivalOf(schedule.countBeforeMs(fromMs), share); k < last; k += share.count) sent.push(k)
  return sent
}

describe('shares of a plan', () => {
  it('the shares of a ramp, cut into slices, send every planned arrival exactly once', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 7 }), (count, fromRate, toRate, slices) => {
      const durationMs = 4000
      const schedule = arrivalSchedule(fromRate, toRate, durationMs)
      const bounds = Array.from({ length: slices }, (_, i) => [Math.round(durationMs * i / slices), Math.round(durationMs * (i + 1) / slices)] as const)
      const sent = sharesOf(count).flatMap((share) => bounds.flatMap(([from, to]) => sentBy(share, schedule, from, to)))
      expect(sent.length).toBe(schedule.count)
      expect(new Set(sent).size).toBe(schedule.count)
      for (const share of sharesOf(count)) {
        const own = bounds.reduce((sum, [from, to]) => sum + arrivalsOf(schedule.countBeforeMs(from), schedule.countBeforeMs(to), share), 0)
        expect(own).toBe(bounds.flatMap(([from, to]) => sentBy(share, schedule, from, to)).length)
      }
    }))
  })

  it('a share of one is the whole plan, unchanged', () => {
    const phase = { kind: 'closed' as const, name: 'flood', durationMs: 1000, connections: 7 }
    expect(phaseShare(phase, { index: 0, count: 1 })).toBe(phase)
    expect(shareSeed(42, { index: 0, count: 1 })).toBe(42)
    expect(shareCounter(5, { index: 0, count: 1 })).toBe(5)
  })

  it('connections and in-flight limits split into whole parts that add up (3 connections over 4 shards: 1, 1, 1, 0)', () => {
    expect(sharesOf(4).map((share) => shareOfCount(3, share))).toEqual([1, 1, 1, 0])
    expect(sharesOf(3).map((share) => shareOfCount(32, share))).toEqual([11, 11, 10])
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 64 }), (total, count) => {
      expect(sharesOf(count).reduce((sum, share) => sum + shareOfCount(total, share), 0)).toBe(total)
    }))
    const open = { kind: 'open' as const, name: 'steady', durationMs: 1000, fromRate: 10, toRate: 10, maxInFlight: 3 }
    expect(sharesOf(4).map((share) => (phaseShare(open, share) as typeof open).maxInFlight)).toEqual([1, 1, 1, 1])
  })

  it('counter() values and seeds differ between shares and repeat within one', () => {
    const values = sharesOf(3).flatMap((share) => [1, 2, 3, 4].map((n) => shareCounter(n, share)))
    expect(values.sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1))
    const seeds = sharesOf(4).map((share) => shareSeed(7, share))
    expect(new Set(seeds).size).toBe(4)
    expect(sharesOf(4).map((share) => shareSeed(7, share))).toEqual(seeds)
    expect(shareSeed(7, { index: 0, count: 2 })).not.toBe(shareSeed(7, { index: 0, count: 4 }))
  })

  it('shards without --seed share one taken from their start time', () => {
    const at = new Date('2026-12-07T10:00:00Z')
    expect(seedFromStartTime(new Date(at))).toBe(seedFromStartTime(at))
    expect(seedFromStartTime(new Date(at.getTime() + 1000))).not.toBe(seedFromStartTime(at))
    expect(seedFromStartTime(at)).toBeGreaterThanOrEqual(0)
    expect(seedFromStartTime(at)).toBeLessThan(2 ** 31)
  })

  it('--shard takes I/N counted from 1', () => {
    expect(parseShare('2/4')).toEqual({ index: 1, count: 4 })
    expect(describeShare({ index: 1, count: 4 })).toBe('2/4')
    for (const bad of ['0/4', '5/4', '1/0', 'a/b', '2', '-1/3']) expect(parseShare(bad)).toBeUndefined()
  })
})

describe('--shard auto and --start-at', () => {
  const startAt = '2026-12-07T10:00:00Z'
  it('reads the engines\' environments: CUTOVER_SHARD, GitLab (from 1), a Kubernetes Indexed Job (from 0)', () => {
    expect(shareFromEnvironment({ CUTOVER_SHARD: '3/4' })).toEqual({ index: 2, count: 4 })
    expect(shareFromEnvironment({ CI_NODE_INDEX: '1', CI_NODE_TOTAL: '3' })).toEqual({ index: 0, count: 3 })
    expect(shareFromEnvironment({ JOB_COMPLETION_INDEX: '0', CUTOVER_SHARD_COUNT: '4' })).toEqual({ index: 0, count: 4 })
    expect(shareFromEnvironment({ JOB_COMPLETION_INDEX: '3', CUTOVER_SHARD_COUNT: '4' })).toEqual({ index: 3, count: 4 })
    expect(() => shareFromEnvironment({ JOB_COMPLETION_INDEX: '4', CUTOVER_SHARD_COUNT: '4' })).toThrow(CutoverError)
    expect(() => shareFromEnvironment({ JOB_COMPLETION_INDEX: '0' })).toThrow(/CUTOVER_SHARD_COUNT/)
    expect(() => shareFromEnvironment({})).toThrow(/no shard in the environment/)
  })

  it('needs a start time, from the flag or CUTOVER_START_AT; the first shard samples unless another is named', () => {
    expect(() => shardOptions({ shard: '1/2' }, {})).toThrow(/--start-at/)
    expect(() => shardOptions({ shard: '1/2', startAt: 'tomorrow' }, {})).toThrow(/ISO 8601/)
    expect(() => shardOptions({ startAt }, {})).toThrow(/go with --shard/)
    expect(shardOptions({ shard: '1/2', startAt }, {})).toEqual({ share: { index: 0, count: 2 }, startAt: new Date(startAt), samples: true })
    expect(shardOptions({ shard: 'auto' }, { CUTOVER_SHARD: '2/2', CUTOVER_START_AT: startAt })?.samples).toBe(false)
    expect(shardOptions({ shard: '2/2', startAt, samplingShard: '2' }, {})?.samples).toBe(true)
    expect(() => shardOptions({ shard: '2/2', startAt, samplingShard: '3' }, {})).toThrow(/--sampling-shard/)
  })
})
