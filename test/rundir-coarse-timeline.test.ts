// A long run's timeline drawn with a bounded number of points (issue 18: a proxy runs for days, and its refreshes
// must not grow with it). Joined points are exact: the tests rebuild each point from the raw intervals it holds.
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { seededRandom } from '../src/core/random.js'
import { createHistogram, decodeHistogram, encodeHistogram, mergeInto, recordUs, summarizeMs } from '../src/metrics/histogram.js'
import { intervalsPerPoint } from '../src/report/html/sections/charts.js'
import { CoarseTimeline } from '../src/rundir/coarse-timeline.js'
import { readCoarseTimeline, TimelineTail, timelineFileName } from '../src/rundir/timeline-file.js'
import type { TimelineLine } from '../src/rundir/timeline-line.js'

const random = seededRandom(18)

/** One interval of `target` ending at `t`, with a real histogram of `requests` latencies and a resource sample. */
function interval (target: string, t: number, phase = 'live'): TimelineLine {
  const requests = 50 + Math.floor(random() * 100)
  const failed = Math.floor(random() * 5)
  const histogram = createHistogram()
  for (let i = 0; i < requests; i++) recordUs(histogram, 200 + random() * random() * 20_000)
  return {
    t,
    ts: new Date(Date.UTC(2026, 11, 7) + t * 1000).toISOString(),
    target,
    phase,
    intervalMs: 1000,
    requests,
    ok: requests - failed,
    failed,
    throughput: requests,
    latencyMs: summarizeMs(histogram),
    byStatus: { 200: requests - failed, ...(failed > 0 ? { 500: failed } : {}) },
    byError: failed > 0 ? { 'http 500': failed } : {},
    generator: { sent: requests, dropped: 0, late: 0, sendLagMsP99: 0 },
    inFlight: Math.floor(random() * 9),
    hist: encodeHistogram(histogram),
    resources: { rssBytes: 1e8 + t * 1000, cpuPercent: Math.round(random() * 10_000) / 100 }
  }
}

/** The raw intervals each point stands for: those of its target after the previous point's end, up to its own. */
function rawOf (points: TimelineLine[], raw: TimelineLine[]): TimelineLine[][] {
  return points.map((point, i) => {
    const previous = points.slice(0, i).filter((other) => other.target === point.target).at(-1)?.t ?? -Infinity
    return raw.filter((line) => line.target === point.target && line.t > previous && line.t <= point.t)
  })
}

describe('a coarse timeline', () => {
  const raw: TimelineLine[] = []
  for (let t = 1; t <= 37; t++) raw.push(interval('old', t), interval('new', t + 0.01))
  const coarse = new CoarseTimeline(8)
  for (const line of raw) coarse.add(line)
  const points = coarse.lines()

  it('keeps at most its bound per target, each point standing for the same number of intervals', () => {
    for (const target of ['old', 'new']) {
      const own = points.filter((point) => point.target === target)
      expect(own.length).toBeLessThanOrEqual(8)
      // 37 intervals: the bound was passed at 9, 17 and 33, so each point holds 8 (the last one what is left)
      expect(coarse.widthOf(target)).toBe(8)
      expect(own.map((point) => point.intervalMs)).toEqual([8000, 8000, 8000, 8000, 5000])
      expect(own.at(-1)?.t).toBe(raw.filter((line) => line.target === target).at(-1)?.t)
    }
    expect(points.map((point) => point.t)).toEqual([...points.map((point) => point.t)].sort((a, b) => a - b))
  })

  it('joins intervals exactly: counters summed, histograms merged, percentiles from the merge', () => {
    const groups = rawOf(points, raw)
    expect(groups.flat()).toHaveLength(raw.length)
    points.forEach((point, i) => {
      const group = groups[i] as TimelineLine[]
      const merged = createHistogram()
      for (const line of group) mergeInto(merged, decodeHistogram(line.hist))
      const sum = (pick: (line: TimelineLine) => number): number => group.reduce((total, line) => total + pick(line), 0)
      expect(point.requests).toBe(sum((line) => line.requests))
      expect(point.ok).toBe(sum((line) => line.ok))
      expect(point.failed).toBe(sum((line) => line.failed))
      expect(point.byStatus['200']).toBe(sum((line) => line.byStatus['200'] ?? 0))
      expect(point.byError['http 500'] ?? 0).toBe(sum((line) => line.byError['http 500'] ?? 0))
      expect(decodeHistogram(point.hist).totalCount).toBe(merged.totalCount)
      expect(point.latencyMs).toEqual(summarizeMs(merged))
      expect(point.throughput).toBeCloseTo(sum((line) => line.requests) / group.length, 2)
      // memory and in-flight at the end of the last interval; CPU over all of them
      const last = group.at(-1) as TimelineLine
      expect(point.resources?.rssBytes).toBe(last.resources?.rssBytes)
      expect(point.inFlight).toBe(last.inFlight)
      expect(point.resources?.cpuPercent).toBeCloseTo(sum((line) => line.resources?.cpuPercent ?? 0) / group.length, 1)
    })
  })

  it('leaves a timeline within its bound as it is, and never joins two phases', () => {
    const short = [interval('old', 1, 'warmup'), interval('old', 2, 'warmup'), interval('old', 3), interval('old', 4)]
    const within = new CoarseTimeline(4)
    for (const line of short) within.add(line)
    expect(within.lines()).toEqual(short)

    const phased = new CoarseTimeline(2)
    for (const line of short) phased.add(line)
    expect(phased.lines().map((point) => [point.phase, point.intervalMs])).toEqual([['warmup', 2000], ['live', 2000]])

    // phases changing every interval: nothing can be joined, and every interval is kept as it is
    const alternating = Array.from({ length: 40 }, (_, i) => interval('old', i + 1, i % 2 === 0 ? 'a' : 'b'))
    const stuck = new CoarseTimeline(4)
    for (const line of alternating) stuck.add(line)
    expect(stuck.lines()).toEqual(alternating)
  })
})

describe('how many sampling intervals a chart point stands for', () => {
  it('says 1 for an ordinary timeline, late timers included, and the width of joined points', () => {
    expect(intervalsPerPoint([1000, 1000, 1004, 998, 1000].map((intervalMs) => ({ intervalMs })), 1000)).toBe(1)
    expect(intervalsPerPoint([1500, 1500, 1500].map((intervalMs) => ({ intervalMs })), 1000)).toBe(1)
    expect(intervalsPerPoint([700, 4000, 4000, 4000, 2100].map((intervalMs) => ({ intervalMs })), 1000)).toBe(4)
    expect(intervalsPerPoint([], 1000)).toBe(1)
  })
})

describe('reading timeline.ndjson as it grows', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-tail-'))
  afterAll(() => { rmSync(dir, { recursive: true, force: true }) })

  it('reads only what was appended, holds a line still being written, and counts lines it cannot read', () => {
    const path = join(dir, 'grow.ndjson')
    const lines = [interval('old', 1), interval('old', 2), interval('old', 3)]
    writeFileSync(path, `${JSON.stringify(lines[0])}\n`)
    const tail = new TimelineTail(path)
    const seen: TimelineLine[] = []
    tail.read((line) => seen.push(line))
    expect(seen).toEqual([lines[0]])
    const second = JSON.stringify(lines[1])
    appendFileSync(path, second.slice(0, 40))
    tail.read((line) => seen.push(line))
    expect(seen).toHaveLength(1)
    appendFileSync(path, `${second.slice(40)}\n{"damaged\n\n${JSON.stringify(lines[2])}`)
    tail.read((line) => seen.push(line))
    expect(seen).toEqual([lines[0], lines[1]])
    expect(tail.skipped).toBe(1)
    // the last line has no newline yet: at the end it is taken when it parses
    tail.end((line) => seen.push(line))
    expect(seen).toEqual(lines)
    expect(tail.skipped).toBe(1)
  })

  it('goes on from its state: a new tail starts after the last whole line, a line still being written read again', () => {
    const path = join(dir, 'resume.ndjson')
    const lines = [interval('new', 1), interval('new', 2), interval('new', 3)]
    const third = JSON.stringify(lines[2])
    writeFileSync(path, `${JSON.stringify(lines[0])}\n${JSON.stringify(lines[1])}\n${third.slice(0, 25)}`)
    const first = new TimelineTail(path)
    const seen: TimelineLine[] = []
    first.read((line) => seen.push(line))
    expect(seen).toEqual(lines.slice(0, 2))
    appendFileSync(path, `${third.slice(25)}\n{"damaged\n`)
    const next = new TimelineTail(path, first.state)
    next.read((line) => seen.push(line))
    expect(seen).toEqual(lines)
    expect(next.state).toEqual({ offset: Buffer.byteLength(readFileSync(path)), skipped: 1 })
  })

  it('reads a line longer than its 1 MiB chunk, with a character split across chunks', () => {
    // 'é' is two bytes: with padding of 0 and 1 byte, one of the two lines splits a character at the chunk's end
    for (const pad of ['', 'x']) {
      const path = join(dir, `long${pad}.ndjson`)
      const line = { ...interval('old', 1), phase: `${pad}${'é'.repeat(700_000)}` }
      writeFileSync(path, `${JSON.stringify(line)}\n`)
      const seen: TimelineLine[] = []
      new TimelineTail(path).end((read) => seen.push(read))
      expect(seen).toEqual([line])
    }
  })

  it('reads a run directory\'s timeline with a bound per target', () => {
    const run = join(dir, 'run')
    const lines: TimelineLine[] = []
    for (let t = 1; t <= 20; t++) lines.push(interval('old', t), interval('new', t))
    mkdirSync(run)
    writeFileSync(join(run, timelineFileName), lines.map((line) => JSON.stringify(line)).join('\n') + '\n{"cut')
    const { lines: read, skipped } = readCoarseTimeline(run, 5)
    const direct = new CoarseTimeline(5)
    for (const line of lines) direct.add(line)
    expect(read).toEqual(direct.lines())
    expect(read.filter((line) => line.target === 'old')).toHaveLength(5)
    expect(skipped).toBe(1)
  })
})
