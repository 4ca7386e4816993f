import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunResult } from '../src/core/result-types.js'
import { freePort } from './support/servers.js'
import { runCli } from './support/cli.js'

// a fixed service time, not burnt CPU: a CPU-starved service on a busy machine would move its knee with the other load
const fixture = fileURLToPath(new URL('./fixtures/fixed-time-server.mjs', import.meta.url))
let dir: string

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'cutover-capacity-')) })
afterAll(() => { rmSync(dir, { recursive: true, force: true }) })

describe('cutover capacity', () => {
  it('finds each target\'s knee: a service doing three times the work per request sustains about a third of the rate', async () => {
    const [lightPort, heavyPort] = [await freePort(), await freePort()]
    const file = join(dir, 'capacity.yaml')
    writeFileSync(file, `
name: capacity
targets:
  old: { url: "http://127.0.0.1:${lightPort}", start: { command: "node ${fixture}", env: { PORT: "${lightPort}", WORK_MS: "4" } } }
  new: { url: "http://127.0.0.1:${heavyPort}", start: { command: "node ${fixture}", env: { PORT: "${heavyPort}", WORK_MS: "12" } } }
requests: [{ name: work, path: /, timeout: 2s }]
phases: [{ name: unused, duration: 1s, rate: 1 }]
capacity: { start: 40, step: 40, stepDuration: 1s, max: 480 }
checks: { slo: { p99: 150ms, errorRate: 1%, droppedRate: 50% } }
sampling: { interval: 250ms }
`)
    // room for a busy machine: the generator's own hiccups (a request sent over 10 ms late) must not end the search;
    // at 60 req/s one late request in a 1 s step is already over the default 1% (droppedRate). Latency still counts
    // from the intended send time, so a late generator can only make a step fail, never pass.
    const out = join(dir, 'run')
    const run = await runCli(['capacity', file, '--out', out], { timeoutMs: 120_000 })
    // new sustains a third of old's rate: the knee comparison fails the run. (Twice the work was too close: on a busy
    // CI runner one of old's three ceiling holds can come out low, and three holds then give an interval that reaches
    // past the -5% tolerance: inconclusive, exit 0.)
    expect(run.code, run.stderr).toBe(1)
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult
    expect(result.command).toBe('capacity')
    const old = result.targets.old?.capacity
    const heavy = result.targets.new?.capacity
    // 4 ms per request, one at a time: at most about 250 req/s; 12 ms: about 83. A 1 s step can queue what the 150 ms
    // p99 allows (about 37 requests at 4 ms) and still pass, so old's knee may read a step above 250
    expect(old?.maxRps).toBeGreaterThanOrEqual(120)
    expect(old?.maxRps).toBeLessThanOrEqual(320)
    expect(heavy?.maxRps).toBeGreaterThanOrEqual(40)
    expect(heavy?.maxRps).toBeLessThanOrEqual(120)
    // a capacity check warns instead of passing when the generator, not the service, set the limit (a busy machine)
    const knees = result.checks.filter((check) => check.id.endsWith('capacity'))
    expect(knees.map((check) => `${check.target ?? ''} ${check.id} ${check.status.replace('warn', 'pass')}`)).toEqual(['old capacity pass', 'new capacity pass', 'new compare.capacity fail'])
    expect(result.comparison?.metrics.map((m) => m.name)).toContain('capacity')
    expect(result.verdict).toBe('fail')
    expect(old?.maxRps ?? 0).toBeGreaterThan(heavy?.maxRps ?? Infinity)
    expect(old?.limitedBy).toMatch(/latency|errors|generator/)
    expect(heavy?.curve.filter((step) => step.overload !== true).at(-1)?.passed).toBe(false)
    expect(heavy?.curve.every((step) => step.cpuPercent !== undefined && step.rssBytes !== undefined)).toBe(true)
    expect(run.stdout).toMatch(/old\s+\d+ req\/s/)
    // each retry is a phase of its own, judged on its own figures (a retry once reused the first try's): the second
    // try's phase holds one 1-second hold's requests, not two
    const retried = heavy?.curve.filter((step) => step.attempt === 2) ?? []
    expect(retried.length, JSON.stringify(heavy)).toBeGreaterThan(0)
    for (const step of retried) {
      const names = JSON.stringify(result.targets.new?.phases.map((p) => p.name))
      const first = result.targets.new?.phases.find((p) => p.name === `${step.rate} req/s`)
      const second = result.targets.new?.phases.find((p) => p.name === `${step.rate} req/s (try 2)`)
      expect(first?.requests.total, names).toBeGreaterThan(0)
      expect(second?.requests.total, names).toBeGreaterThan(0.5 * step.rate)
      expect(second?.requests.total, names).toBeLessThan(1.5 * step.rate)
    }
    // closed-model ceiling holds after a search the service ended (up to three: a hold where the generator reached its
    // own ceiling ends them); their answered rates measure the ceilings (4 ms one at a time: at most ~250 req/s; 12 ms:
    // ~83), and the comparison is judged on them with an interval from their spread
    for (const [knee, most] of [[old, 250], [heavy, 83]] as const) {
      const holds = knee?.curve.filter((step) => step.overload === true) ?? []
      if (knee?.limitedBy === 'generator') {
        expect(holds).toEqual([])
        continue
      }
      expect(holds.length, JSON.stringify(knee)).toBeGreaterThanOrEqual(1)
      expect(holds.length).toBeLessThanOrEqual(3)
      expect(holds.slice(0, -1).every((step) => step.limitedBy !== 'generator')).toBe(true)
      expect(holds.every((step) => (step.connections ?? 0) >= 8)).toBe(true)
      if (knee?.ceiling === undefined) continue
      expect(knee.ceiling.rps).toBeGreaterThan(most * 0.4)
      expect(knee.ceiling.rps).toBeLessThanOrEqual(most * 1.05)
      expect(knee.ceiling.ci[0]).toBeLessThanOrEqual(knee.ceiling.rps)
    }
    const capacity = result.comparison?.metrics.find((m) => m.name === 'capacity')
    if (old?.ceiling !== undefined && heavy?.ceiling !== undefined) {
      expect(capacity?.method).toMatch(/^ratio of the ceilings measured on closed-model ceiling holds/)
      // a third of the rate: the whole interval well below 1
      expect(capacity?.ci[1]).toBeLessThan(0.8)
      expect(capacity?.ratio).toBeGreaterThan(0.15)
    }
    // at least one of the two was measured on a machine that is not starved
    expect(old?.ceiling !== undefined || heavy?.ceiling !== undefined).toBe(true)
  })

  it('finds knees above 0 with a CPU hog running beside it: generator hiccups are tried again, not taken for the limit', async () => {
    const [lightPort, heavyPort] = [await freePort(), await freePort()]
    const file = join(dir, 'capacity-hog.yaml')
    writeFileSync(file, `
name: capacity-hog
targets:
  old: { url: "http://127.0.0.1:${lightPort}", start: { command: "node ${fixture}", env: { PORT: "${lightPort}", WORK_MS: "1" } } }
  new: { url: "http://127.0.0.1:${heavyPort}", start: { command: "node ${fixture}", env: { PORT: "${heavyPort}", WORK_MS: "2" } } }
requests: [{ name: work, path: /, timeout: 2s }]
phases: [{ name: unused, duration: 1s, rate: 1 }]
capacity: { start: 200, step: 200, stepDuration: 2s, max: 1200 }
checks: { slo: { p99: 200ms } }
sampling: { interval: 500ms }
`)
    // the hog takes a whole core for as long as the search runs (the default droppedRate of 1% applies)
    const hog = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' })
    let run: Awaited<ReturnType<typeof runCli>>
    try {
      run = await runCli(['capacity', file, '--out', join(dir, 'run-hog')], { timeoutMs: 240_000 })
    } finally {
      hog.kill('SIGKILL')
    }
    expect([0, 1, 3], run.stderr).toContain(run.code)
    const result = JSON.parse(readFileSync(join(dir, 'run-hog', 'result.json'), 'utf8')) as RunResult
    const old = result.targets.old?.capacity
    const heavy = result.targets.new?.capacity
    // each answered every request within its SLO at 200 req/s: neither knee is 0
    for (const knee of [old, heavy]) {
      expect(knee?.maxRps).toBeGreaterThanOrEqual(200)
      expect(knee?.curve.some((step) => step.rate === 200 && step.passed)).toBe(true)
    }
    const metric = result.comparison?.metrics.find((m) => m.name === 'capacity')
    const curves = `${JSON.stringify(old)}\n${JSON.stringify(heavy)}\n${metric?.message ?? ''}`
    // 1 ms a request holds about 1000 req/s, 2 ms about 500
    expect(heavy?.maxRps, curves).toBeLessThanOrEqual(600)
    expect(old?.maxRps ?? 0, curves).toBeGreaterThan(heavy?.maxRps ?? Infinity)
    const lowerBound = [old, heavy].find((knee) => knee?.limitedBy === 'generator' || knee?.limitedBy === 'max')
    if (lowerBound !== undefined) {
      // a knee that is only a lower bound is never judged on an interval
      expect(metric?.verdict, curves).toBe('inconclusive')
      expect(metric?.message, curves).toMatch(/knee is only a lower bound/)
      expect(metric?.ci, curves).toEqual([null, null])
    } else {
      // two measured knees: new is slower; with 200 req/s steps the brackets may leave the verdict open, never a pass
      expect(metric?.ratio, curves).toBeLessThan(1)
      expect(metric?.verdict, curves).not.toBe('pass')
      // judged on ceiling holds, three a side beside a hog, the Welch interval can be wide enough to reach past 1
      // (seen: 0.15–1.41); judged on brackets, the interval stays below 1
      if (metric?.method?.includes('ceiling') !== true) expect(metric?.ci[1], curves).toBeLessThanOrEqual(1)
    }
    // the search, its retries and six ceiling holds beside a hog take about a minute: more than the default timeout
  }, 180_000)
})
