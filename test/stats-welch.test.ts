import { describe, expect, it } from 'vitest'
import { meanInterval, welchInterval } from '../src/analysis/stats/welch.js'

const logs = (values: number[]): number[] => values.map(Math.log)

describe('Welch interval (scipy 1.17.1)', () => {
  it('matches scipy.stats.ttest_ind(b, a, equal_var=False).confidence_interval(0.95) on log throughputs', () => {
    // a = log([812, 798, 805]), b = log([668, 655, 671]): df 3.5162187937033007, CI (−0.21784933339209872, −0.1653231125322157)
    const one = welchInterval(logs([812, 798, 805]), logs([668, 655, 671]))
    expect(one?.difference).toBeCloseTo(-0.19158622296215722, 12)
    expect(one?.df).toBeCloseTo(3.5162187937033007, 9)
    expect(one?.ci[0]).toBeCloseTo(-0.21784933339209872, 7)
    expect(one?.ci[1]).toBeCloseTo(-0.1653231125322157, 7)
    // unequal sizes: a = log([1000, 1010]), b = log([700, 760, 720, 731]): df 3.4532867277769053, CI (−0.37601940781041826, −0.27040976096519515)
    const two = welchInterval(logs([1000, 1010]), logs([700, 760, 720, 731]))
    expect(two?.df).toBeCloseTo(3.4532867277769053, 9)
    expect(two?.ci[0]).toBeCloseTo(-0.37601940781041826, 7)
    expect(two?.ci[1]).toBeCloseTo(-0.27040976096519515, 7)
  })

  it('needs two values a side, and gives a point for values without spread', () => {
    expect(welchInterval([1], [1, 2])).toBeUndefined()
    expect(welchInterval([2, 2], [3, 3])).toEqual({ difference: 1, ci: [1, 1], df: 2 })
  })

  it('the one-sample interval matches scipy.stats.t.interval(0.95, 2, loc=mean, scale=sem)', () => {
    // log([812, 798, 805]): (6.66921526164485, 6.712418881708516)
    const m = meanInterval(logs([812, 798, 805]))
    expect(m?.ci[0]).toBeCloseTo(6.66921526164485, 8)
    expect(m?.ci[1]).toBeCloseTo(6.712418881708516, 8)
    expect(meanInterval([5])).toBeUndefined()
  })
})
