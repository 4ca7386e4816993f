import type { RequestCounts } from '../src/core/result-types.js'
import { describe, expect, it } from 'vitest'
import { AnswerWatch, describeKinds, isUnanswered } from '../src/analysis/answer-watch.js'
import { emptyCounts } from '../src/metrics/counters.js'

function counts (byStatus: Record<string, number>, byError: Record<string, number> = {}): RequestCounts {
  const c = emptyCounts()
  c.byStatus = byStatus
  c.byError = byError
  return c
}

describe('AnswerWatch: when a target stopped answering', () => {
  it('kinds with a response or held back by cutover are not unanswered', () => {
    expect(['refused', 'reset', 'timeout', 'dns', 'cut off', 'EHOSTUNREACH'].every(isUnanswered)).toBe(true)
    expect(['http 500', 'expectation', 'dropped', 'other'].some(isUnanswered)).toBe(false)
  })

  it('says so after 5 s of load in which every ended request got no response', () => {
    const watch = new AnswerWatch()
    expect(watch.add(counts({ 200: 20 }), 1000)).toBeUndefined()
    for (let i = 0; i < 4; i++) expect(watch.add(counts({}, { reset: 15, refused: 5 }), 1000)).toBeUndefined()
    expect(watch.add(counts({}, { reset: 20 }), 1000)).toEqual({ silentMs: 5000, byKind: { reset: 80, refused: 20 }, unanswered: 100, never: false })
  })

  it('any response starts the stretch again; intervals where nothing ended neither extend nor end it', () => {
    const watch = new AnswerWatch()
    for (let i = 0; i < 4; i++) watch.add(counts({}, { timeout: 10 }), 1000)
    expect(watch.add(counts({ 503: 1 }, { timeout: 9, 'http 503': 1 }), 1000)).toBeUndefined()
    for (let i = 0; i < 4; i++) watch.add(counts({}, { timeout: 10 }), 1000)
    // idle slices of an interleaved run, and intervals of requests still waiting for their timeout
    expect(watch.add(counts({}, {}), 1000)).toBeUndefined()
    expect(watch.add(counts({}, { dropped: 30 }), 1000)).toBeUndefined()
    expect(watch.add(counts({}, { timeout: 10 }), 1000)).toMatchObject({ silentMs: 5000, unanswered: 50, never: false })
  })

  it('a couple of lost requests prove nothing: at least 5 unanswered are needed', () => {
    const watch = new AnswerWatch()
    for (let i = 0; i < 8; i++) expect(watch.add(counts({}, { reset: i % 2 }), 1000)).toBeUndefined()
    expect(watch.add(counts({}, { reset: 1 }), 1000)).toMatchObject({ unanswered: 5, silentMs: 5000 })
  })

  it('at the end: a target that never answered fails however short the run; one that answered once does not', () => {
    const never = new AnswerWatch()
    never.add(counts({}, { 'cut off': 40 }), 1000)
    expect(never.atEnd()).toEqual({ silentMs: 1000, byKind: { 'cut off': 40 }, unanswered: 40, never: true })
    const once = new AnswerWatch()
    once.add(counts({ 200: 1 }), 1000)
    once.add(counts({}, { reset: 40 }), 1000)
    expect(once.atEnd()).toBeUndefined()
    expect(new AnswerWatch().atEnd()).toBeUndefined()
  })

  it('describes kinds largest first', () => {
    expect(describeKinds({ timeout: 3, reset: 40, refused: 12 })).toBe('reset 40, refused 12, timeout 3')
  })
})
