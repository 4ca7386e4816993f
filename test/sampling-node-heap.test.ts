import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from './support/servers.js'
import { silentProgress } from '../src/run/progress.js'
import { runScenario } from '../src/run/run-scenario.js'
import { parseScenario } from '../src/scenario/load.js'
import { NodeHeapProbe } from '../src/sampling/node-heap.js'

const server = fileURLToPath(new URL('./fixtures/heap-server.mjs', import.meta.url))
let dir: string

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'cutover-heap-')) })
afterAll(() => { rmSync(dir, { recursive: true, force: true }) })

async function heapRun (name: string, leakItems: number, command?: string): Promise<{ series: Array<{ t: number, heap: number | undefined }>, events: string[] }> {
  const { result, series } = await probeRun(name, { HEAP_LEAK_ITEMS: String(leakItems), NODE_OPTIONS: '--max-old-space-size=300' }, true, 6, command)
  return { series, events: (result.targets.svc?.events ?? []).map((event) => `${event.type}: ${event.detail}`) }
}

/** A `seconds`-long run at 200 req/s of the heap server started with `env`; the run's result and each timeline line's heap. */
async function probeRun (name: string, env: Record<string, string>, heap: boolean | undefined, seconds = 6, command = `'"${process.execPath}" "${server}"'`): Promise<{ result: Awaited<ReturnType<typeof runScenario>>['result'], heaps: Array<number | undefined>, series: Array<{ t: number, heap: number | undefined }> }> {
  const port = await freePort()
  const scenario = parseScenario(`
name: ${name}
targets:
  svc:
    url: "http://127.0.0.1:${port}"
    start:
      command: ${command}
      env: ${JSON.stringify({ PORT: String(port), ...env })}
${heap === undefined ? '' : `      heap: ${String(heap)}\n`}requests: [{ name: home, path: / }]
phases: [{ name: steady, duration: ${seconds}s, rate: 200 }]
sampling: { interval: 500ms }
`, join(dir, `${name}.yaml`))
  const { result, runDir } = await runScenario(scenario, { out: join(dir, name), progress: silentProgress, signal: new AbortController().signal, env: {}, seed: 1 })
  expect(result.targets.svc?.requests.ok).toBe(200 * seconds)
  const series = readFileSync(join(runDir, 'timeline.ndjson'), 'utf8').trim().split('\n')
    .map((line) => JSON.parse(line) as { t: number, resources?: { heapBytes?: number } })
    .map((line) => ({ t: line.t, heap: line.resources?.heapBytes }))
  return { result, heaps: series.map((point) => point.heap), series }
}

describe('the heap probe is on by default, reads the heap after the service\'s own major collections, and keeps to its budget', () => {
  it('measures a node service cutover starts without being asked, and says what it cost', async () => {
    const { result, heaps } = await probeRun('default-on', { HEAP_LEAK_ITEMS: '200', NODE_OPTIONS: '--max-old-space-size=300' }, undefined)
    expect(heaps.filter((heap) => heap !== undefined).length).toBeGreaterThanOrEqual(heaps.length / 2)
    const cost = result.targets.svc?.resources?.heapProbe
    expect(cost).toBeDefined()
    // a leaking service collects by itself: most readings come from its own major collections
    expect(cost?.naturalGcs).toBeGreaterThanOrEqual(1)
    expect(cost?.serviceCpuMs).toBeGreaterThan(0)
    // forced collections within their budget: 1% of the service's CPU or 0.5% of its running time (one collection's overrun allowed)
    expect(Math.min(cost?.forcedShare ?? NaN, 2 * (cost?.forcedWallShare ?? NaN))).toBeLessThanOrEqual(0.02)
    expect(cost?.forcedShare).toBeCloseTo((cost?.forcedGcMs ?? NaN) / (cost?.serviceCpuMs ?? NaN), 9)
    // readings step up after each of the service's collections, never down, while it leaks
    const readings = heaps.filter((heap): heap is number => heap !== undefined)
    for (let i = 1; i < readings.length; i++) expect(readings[i]).toBeGreaterThanOrEqual((readings[i - 1] ?? 0) * 0.98)
    expect(new Set(readings).size).toBeGreaterThanOrEqual(2)
  })

  it('turns off with start.heap: false', async () => {
    const { result, heaps } = await probeRun('off', {}, false, 3)
    expect(heaps.every((heap) => heap === undefined)).toBe(true)
    expect(result.targets.svc?.resources?.heapProbe).toBeUndefined()
  })

  it('does not force a full collection of a ~140 MB heap every interval: the budget holds it back', async () => {
    const { result } = await probeRun('ballast', { HEAP_BALLAST_MB: '150', NODE_OPTIONS: '--max-old-space-size=600' }, true)
    const cost = result.targets.svc?.resources?.heapProbe
    expect(cost).toBeDefined()
    // a forced collection was due (no natural one for two intervals) more often than the budget allowed
    expect(cost?.skippedForBudget).toBeGreaterThanOrEqual(1)
    expect(Math.min(cost?.forcedShare ?? NaN, 2 * (cost?.forcedWallShare ?? NaN))).toBeLessThanOrEqual(0.02)
    expect(result.targets.svc?.requests.failed).toBe(0)
  })
})

describe('start.heap: the live V8 heap of a node service, after major collections', () => {
  it('follows a heap leak closely: 200 req/s × 200 objects kept per request', async () => {
    const { series, events } = await heapRun('leaking', 200)
    expect(events).toEqual([])
    const measured = series.filter((point) => point.heap !== undefined)
    // one report per interval after the first
    expect(measured.length).toBeGreaterThanOrEqual(series.length - 3)
    const first = measured[1]
    const last = measured.at(-1)
    if (first === undefined || last === undefined) throw new Error('no heap reports')
    // 40,000 objects a second of ~100 bytes each: several MB a second, and never down after a full GC
    const mbPerSec = ((last.heap ?? 0) - (first.heap ?? 0)) / (last.t - first.t) / 1e6
    expect(mbPerSec).toBeGreaterThan(1.5)
    for (let i = 2; i < measured.length; i++) expect(measured[i]?.heap ?? 0).toBeGreaterThanOrEqual((measured[i - 1]?.heap ?? 0) * 0.98)
  })

  it('stays flat for a service that keeps nothing, where RSS and the sawtooth heap would wander', async () => {
    const { series } = await heapRun('steady', 0)
    const heaps = series.map((point) => point.heap).filter((heap): heap is number => heap !== undefined).slice(2)
    // readings come after collections (the first forced one after two intervals, within the probe's budget)
    expect(heaps.length).toBeGreaterThanOrEqual(4)
    expect(Math.max(...heaps) - Math.min(...heaps)).toBeLessThan(1.5e6)
  })

  it('keeps the NODE_OPTIONS the service was given, and adds the probe', async () => {
    const probe = new NodeHeapProbe(1000)
    try {
      const env = probe.env('--max-old-space-size=300')
      expect(env.NODE_OPTIONS).toMatch(/^--max-old-space-size=300 --require ".*probes\/node-heap\.cjs" --expose-gc$/)
      expect(env.CUTOVER_HEAP_DIR).toBe(probe.dir)
      expect(probe.read()).toBeUndefined()
    } finally {
      probe.close()
    }
    // and the service really saw both
    const port = await freePort()
    const { spawn } = await import('node:child_process')
    const live = new NodeHeapProbe(500)
    const child = spawn(process.execPath, [server], { env: { ...process.env, PORT: String(port), ...live.env('--max-old-space-size=300') }, stdio: 'ignore' })
    try {
      let options = ''
      for (let i = 0; i < 50 && options === ''; i++) {
        options = await request(`http://127.0.0.1:${port}/options`).then(async (r) => await r.body.text()).catch(async () => { await new Promise((resolve) => setTimeout(resolve, 100)); return '' })
      }
      expect(options).toContain('--max-old-space-size=300')
      expect(options).toContain('--expose-gc')
      // the probe reports every 500 ms: wait for its first report, however slowly the service started, not a fixed 1.2 s
      for (let i = 0; i < 100 && live.read() === undefined; i++) await new Promise((resolve) => setTimeout(resolve, 100))
      expect(live.read()).toBeGreaterThan(1e6)
      // with the heap's committed size, never below what it uses (RSS less it is the memory outside the heap)
      const heap = live.readHeap()
      expect(heap?.committedBytes).toBeGreaterThanOrEqual(heap?.usedBytes ?? Infinity)
    } finally {
      child.kill('SIGKILL')
      live.close()
    }
  })

  it('says so when no process reported its heap (here the start command drops NODE_OPTIONS), and RSS is used', async () => {
    const { series, events } = await heapRun('no-probe', 0, `'env -u NODE_OPTIONS "${process.execPath}" "${server}"'`)
    expect(series.every((point) => point.heap === undefined)).toBe(true)
    expect(events).toEqual([expect.stringMatching(/^no heap: start\.heap: no node process of this service reported its heap/)])
  })
})
