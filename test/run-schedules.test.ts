import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TimelineLine } from '../src/rundir/timeline-line.js'
import { silentProgress } from '../src/run/progress.js'
import { runScenario } from '../src/run/run-scenario.js'
import { parseScenario } from '../src/scenario/load.js'
import { startServer, type TestServer } from './support/servers.js'

let dir: string
let old: TestServer
let next: TestServer
const hits = { old: [] as number[], new: [] as number[] }

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cutover-schedule-'))
  old = await startServer((_req, res) => { hits.old.push(Date.now()); res.end('old') }, { keepBodies: false })
  next = await startServer((_req, res) => { hits.new.push(Date.now()); res.end('new') }, { keepBodies: false })
})
afterAll(async () => {
  await old.close()
  await next.close()
  rmSync(dir, { recursive: true, force: true })
})

function scenario (): ReturnType<typeof parseScenario> {
  return parseScenario(`
name: sched
targets: { old: { url: "${old.url}" }, new: { url: "${next.url}" } }
requests: [{ name: r, path: / }]
phases:
  - { name: ramp, duration: 2s, rate: { from: 50, to: 150 } }
sampling: { interval: 250ms }
`, join(dir, 's.yaml'))
}

describe('schedules of two targets', () => {
  it('interleaved (the default on this host): slices alternate, each target gets the whole plan', async () => {
    hits.old = []
    hits.new = []
    const { result, runDir } = await runScenario(scenario(), { out: join(dir, 'interleaved'), sliceMs: 500, progress: silentProgress, signal: new AbortController().signal, env: {} })
    expect(result.schedule).toBe('interleaved')
    expect(result.settings.sliceMs).toBe(500)
    // (50 + 150) / 2 × 2 s = 200 arrivals each
    expect(result.targets.old?.requests.total).toBe(200)
    expect(result.targets.new?.requests.total).toBe(200)
    expect(result.targets.old?.phases[0]?.durationMs).toBeGreaterThan(1900)
    expect(result.targets.old?.phases[0]?.durationMs).toBeLessThan(2300)
    // the two never took load at the same time: old's first slice ended before new's first request
    const oldFirstSliceEnd = Math.max(...hits.old.filter((t) => t < (hits.new[0] ?? Infinity)))
    expect(oldFirstSliceEnd).toBeLessThanOrEqual(hits.new[0] ?? 0)
    const lines = readFileSync(join(runDir, 'timeline.ndjson'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as TimelineLine)
    expect(lines.some((line) => line.target === 'old' && line.phase === 'idle')).toBe(true)
    expect(lines.filter((line) => line.target === 'new').reduce((sum, line) => sum + line.requests, 0)).toBe(200)
  })

  it('concurrent: both targets take the same plan at the same time', async () => {
    hits.old = []
    hits.new = []
    const started = Date.now()
    const { result } = await runScenario(scenario(), { out: join(dir, 'concurrent'), schedule: 'concurrent', progress: silentProgress, signal: new AbortController().signal, env: {} })
    const elapsed = Date.now() - started
    expect(result.schedule).toBe('concurrent')
    expect(result.targets.old?.requests.total).toBe(200)
    expect(result.targets.new?.requests.total).toBe(200)
    expect(elapsed).toBeLessThan(3500)
    expect(Math.abs((hits.old[0] ?? 0) - (hits.new[0] ?? 0))).toBeLessThan(100)
  })

  it('sequential: one target after the other', async () => {
    hits.old = []
    hits.new = []
    const { result } = await runScenario(scenario(), { out: join(dir, 'sequential'), schedule: 'sequential', progress: silentProgress, signal: new AbortController().signal, env: {} })
    expect(result.schedule).toBe('sequential')
    // arrival times in whole milliseconds: old's last and new's first may share one (seen beside a CPU hog)
    expect(Math.max(...hits.old)).toBeLessThanOrEqual(Math.min(...hits.new))
  })
})
