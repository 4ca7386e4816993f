// A live proxy's reports are drawn by a process of their own (issue 18, items 2 and 7), one per refresh, at nice 19:
// a thread's memory stays in the proxy's process when the thread ends, a process's does not. Each refresh reads only
// what the timeline gained since the last one, into a bounded number of points per target, and hands the next a
// checkpoint: neither a refresh's work nor what is kept between refreshes grows with the run.
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createHistogram, recordUs } from '../src/metrics/histogram.js'
import { readCoarseTimeline, timelineFileName } from '../src/rundir/timeline-file.js'
import type { TimelineLine } from '../src/rundir/timeline-line.js'
import { checkpointFileName, ReportProcess } from '../src/run/report-process.js'
import { writeReports } from '../src/report/write-reports.js'
import { call, withProxy } from './support/proxy.js'
import { startServer } from './support/servers.js'
import { answeredLine } from './support/timeline-lines.js'

/** This process's children (proc(5): field 4 of /proc/PID/stat is the parent's pid). */
function children (): string[] {
  const found: string[] = []
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    const stat = statOf(`/proc/${pid}/stat`)
    if (stat?.[1] === String(process.pid)) found.push(pid)
  }
  return found
}

/** The fields of a /proc stat file after the name in parentheses (state first), or undefined when it has gone. */
function statOf (path: string): string[] | undefined {
  try {
    const stat = readFileSync(path, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  } catch {
    return undefined
  }
}

/** A process's or thread's niceness: the 19th field of its stat (the 17th after the name). */
const niceness = (path: string): number | undefined => {
  const value = statOf(path)?.[16]
  return value === undefined ? undefined : Number(value)
}

/** The x of every point the report's charts draw for `target`, per dataset (report.html's embedded model: each chart's `points` holds x, y, x, y, ... per dataset). */
function chartPoints (runDir: string, target: string): number[][] {
  const html = readFileSync(join(runDir, 'report.html'), 'utf8')
  const json = /<script type="application\/json" id="cutover-data">(.*?)<\/script>/s.exec(html)?.[1] ?? '{}'
  const model = JSON.parse(json) as { sections: Array<{ id: string, blocks: Array<{ kind: string, charts?: Array<{ points: number[][], config: { data: { datasets: Array<{ label: string }> } } }> }> }> }
  const charts = model.sections.find((section) => section.id === 'charts')?.blocks.find((block) => block.kind === 'charts')?.charts ?? []
  return charts.flatMap((chart) => chart.config.data.datasets.flatMap((set, i) => set.label === target || set.label.startsWith(`${target} `) ? [(chart.points[i] ?? []).filter((_, j) => j % 2 === 0)] : []))
}

describe('a live refresh in a process of its own', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-report-thread-'))
  afterAll(() => { rmSync(dir, { recursive: true, force: true }) })

  it('draws each refresh in a process that has exited once it answered, and says what could not be written', async () => {
    const reports = new ReportProcess()
    const before = new Set(children())
    const failures = await reports.render('/nonexistent/cutover-run')
    expect(failures).toHaveLength(1)
    expect(failures[0]).toMatch(/nonexistent|ENOENT|run directory/i)
    expect(children().filter((pid) => !before.has(pid))).toEqual([])
    expect(await reports.render('/nonexistent/cutover-run')).toHaveLength(1)
    expect(children().filter((pid) => !before.has(pid))).toEqual([])
    await reports.close()
    expect(await reports.render('/nonexistent/cutover-run')).toEqual(['the report refresh was stopped'])
  }, 60_000)

  it('draws a long timeline with at most 300 points per target live (each refresh reading what was appended) and 1,500 in cutover report', async () => {
    const old = await startServer()
    const candidate = await startServer()
    const { runDir } = await withProxy(dir, old, candidate, 'reportEvery: 1h, noiseSample: 0%', async (url) => {
      for (let i = 0; i < 3; i++) expect((await call(`${url}/x`)).status).toBe(200)
    })
    await old.close()
    await candidate.close()
    const histogram = createHistogram()
    for (let i = 0; i < 100; i++) recordUs(histogram, 1000 + i * 10)
    let t = 1000
    const append = (intervals: number): void => {
      const lines: TimelineLine[] = []
      for (let i = 0; i < intervals; i++) {
        t += 1
        for (const target of ['old', 'new']) lines.push(answeredLine({ t, startMs: 0, target, phase: 'live', intervalMs: 1000 }, 100, histogram))
      }
      appendFileSync(join(runDir, timelineFileName), lines.map((line) => JSON.stringify(line) + '\n').join(''))
    }
    const lastShare = (xs: number[]): number => (xs.at(-1) ?? 0) / Math.max(...xs)
    const reports = new ReportProcess()
    try {
      append(1000)
      expect(await reports.render(runDir)).toEqual([])
      // the charts that draw these lines (throughput, latency; the lines carry no memory samples)
      const first = chartPoints(runDir, 'old').filter((xs) => xs.length > 0)
      expect(first.length).toBeGreaterThan(1)
      for (const xs of first) {
        expect(xs.length).toBeLessThanOrEqual(300)
        expect(xs.length).toBeGreaterThan(150)
      }
      expect(readFileSync(join(runDir, 'report.html'), 'utf8')).toMatch(/One point per target per \d+ sampling intervals/)
      // the next refresh starts from the checkpoint: a line already read, damaged now, is not read again
      expect(existsSync(join(runDir, checkpointFileName))).toBe(true)
      const text = readFileSync(join(runDir, timelineFileName), 'utf8')
      const firstAppended = text.indexOf('{"t":1001')
      writeFileSync(join(runDir, timelineFileName), text.slice(0, firstAppended) + 'x'.repeat(text.indexOf('\n', firstAppended) - firstAppended) + text.slice(text.indexOf('\n', firstAppended)))
      append(500)
      expect(await reports.render(runDir)).toEqual([])
      expect(readFileSync(join(runDir, 'report.html'), 'utf8')).not.toMatch(/could not be read/)
      const second = chartPoints(runDir, 'old').filter((xs) => xs.length > 0)
      for (const xs of second) expect(xs.length).toBeLessThanOrEqual(300)
      // the charts reach the last interval appended (their x axis is in minutes or seconds: compared as a share)
      expect(Math.max(...(second[0] ?? []))).toBeGreaterThan(Math.max(...(first[0] ?? [])))
      expect(lastShare(second[0] ?? [])).toBe(1)
      // a refresh still rendering when the proxy stops is ended, and the checkpoint removed
      const rendering = reports.render(runDir)
      await reports.close()
      expect(await rendering).toEqual([])
      expect(children()).toEqual([])
      expect(existsSync(join(runDir, checkpointFileName))).toBe(false)
    } finally {
      await reports.close()
    }
    // cutover report on the proxy's run directory reads it as when the proxy stopped: at most 1,500 points per target
    // (here 4,100 one-second intervals, so four to a point), to the last interval
    append(2600)
    const widths = readCoarseTimeline(runDir, 1500).lines.filter((line) => line.target === 'old').map((line) => line.intervalMs)
    expect(widths.length).toBeLessThanOrEqual(1500)
    expect(new Set(widths.slice(1, -1))).toEqual(new Set([4000]))
    expect((await writeReports(runDir)).failures).toEqual([])
    const report = readFileSync(join(runDir, 'report.html'), 'utf8')
    expect(report).toMatch(/One point per target per 4 sampling intervals/)
    // reading the whole file, it finds the line damaged above
    expect(report).toMatch(/1 timeline line could not be read/)
    for (const xs of chartPoints(runDir, 'old').filter((points) => points.length > 0)) expect(lastShare(xs)).toBe(1)
  }, 120_000)

  it('renders at the lowest priority, and leaves the callers\' thread at its own', async () => {
    const reports = new ReportProcess()
    const before = new Set(children())
    const callers = niceness('/proc/self/stat')
    let done = false
    const rendering = reports.render('/nonexistent/cutover-run').finally(() => { done = true })
    const seen = new Set<number>()
    // the refresh lowers every thread it has first thing (V8's and libuv's too), then loads the renderer, which takes a
    // while: polled until it answers, each time the least nice of the process's threads
    while (!done) {
      for (const pid of children()) {
        if (before.has(pid)) continue
        let threads: string[] = []
        try {
          threads = readdirSync(`/proc/${pid}/task`)
        } catch {
          continue // it has exited
        }
        const values = threads.map((id) => niceness(`/proc/${pid}/task/${id}/stat`)).filter((value) => value !== undefined)
        if (values.length > 1) seen.add(Math.min(...values))
      }
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
    expect(await rendering).toHaveLength(1)
    expect(seen).toContain(19)
    expect(niceness('/proc/self/stat')).toBe(callers)
    await reports.close()
  }, 60_000)
})
