// The contract every registered load driver keeps, run over the registry (src/load/drivers.ts): a new load model adds
// its file, its line in the registry and a sample phase below (keyed by phase kind, so tsc insists).
import { performance } from 'node:perf_hooks'
import { afterEach, describe, expect, it } from 'vitest'
import { seededRandom } from '../src/core/random.js'
import type { PhaseContext } from '../src/load/driver.js'
import { driverFactories } from '../src/load/drivers.js'
import { RequestMix } from '../src/load/request-mix.js'
import { TargetRecorder } from '../src/metrics/recorder.js'
import type { PlannedPhase } from '../src/plan/phases.js'
import { parseScenario } from '../src/scenario/load.js'
import { freePort, startServer, type TestServer } from './support/servers.js'

type Kind = PlannedPhase['kind']

/** A phase of each kind lasting `durationMs`: 200 arrivals a second, or 4 connections. */
const samplePhase: { [K in Kind]: (durationMs: number) => Extract<PlannedPhase, { kind: K }> } = {
  open: (durationMs) => ({ kind: 'open', name: 'contract', durationMs, fromRate: 200, toRate: 200, maxInFlight: 1000 }),
  closed: (durationMs) => ({ kind: 'closed', name: 'contract', durationMs, connections: 4 })
}

let server: TestServer | undefined
afterEach(async () => { await server?.close(); server = undefined })

function contextFor (url: string, kind: Kind, signal: AbortSignal): PhaseContext {
  const scenario = parseScenario(`
name: contract
targets: { svc: { url: "${url}" } }
requests: [{ name: hit, path: "/hit/{{ randomInt(1, 9) }}" }]
phases: [{ name: contract, duration: 1s, rate: 1 }]
`, '/tmp/contract.yaml')
  const recorder = new TargetRecorder('svc', performance.now(), kind)
  recorder.beginPhase('contract', kind, performance.now())
  return { target: 'svc', origin: new URL(url), recorder, mix: new RequestMix(scenario.requests, scenario.data, seededRandom(7), {}), signal }
}

/** Requests the recorder counted, after closing its interval. */
function counted (ctx: PhaseContext): { total: number, ok: number, failed: number, byError: Record<string, number> } {
  ctx.recorder.endPhase(performance.now())
  ctx.recorder.rotate(performance.now())
  return ctx.recorder.total.counts
}

describe.each(Object.keys(driverFactories) as Kind[])('the %s driver', (kind) => {
  it('sends the phase\'s requests to the target and records every answer as ok', async () => {
    server = await startServer()
    const driver = driverFactories[kind]()
    const ctx = contextFor(server.url, kind, new AbortController().signal)
    await driver.runPhase(samplePhase[kind](1000), ctx)
    await driver.close(2000)
    const counts = counted(ctx)
    expect(counts.total).toBeGreaterThan(20)
    expect(counts.failed).toBe(0)
    // a request still in flight when the phase's time is up may reach the server without being counted (at most one per connection)
    expect(counts.ok).toBeLessThanOrEqual(server.received.length)
    expect(counts.ok).toBeGreaterThanOrEqual(server.received.length - 4)
    expect(server.received.every((request) => /^\/hit\/[1-9]$/.test(request.path))).toBe(true)
  })

  it('runs only the window it is given: a 400 ms slice of a 60 s phase ends long before the phase would', async () => {
    server = await startServer()
    const driver = driverFactories[kind]()
    const ctx = contextFor(server.url, kind, new AbortController().signal)
    const started = performance.now()
    await driver.runPhase(samplePhase[kind](60_000), ctx, [0, 400])
    await driver.close(2000)
    // room for a busy machine: the slice is 0.4 s, the phase 60 s
    expect(performance.now() - started).toBeLessThan(15_000)
    expect(counted(ctx).ok).toBeGreaterThan(0)
  })

  it('stops when the run is aborted, after the target has answered 20 requests', async () => {
    const controller = new AbortController()
    server = await startServer((_req, res) => {
      res.end('ok')
      if (server !== undefined && server.received.length >= 20) controller.abort()
    })
    const driver = driverFactories[kind]()
    const ctx = contextFor(server.url, kind, controller.signal)
    const started = performance.now()
    await driver.runPhase(samplePhase[kind](120_000), ctx)
    await driver.close(0)
    expect(controller.signal.aborted).toBe(true)
    // the phase would run for 120 s; aborted, it ends within autocannon's one-second tick (room for a busy machine)
    expect(performance.now() - started).toBeLessThan(30_000)
    // what was answered before the abort is kept
    expect(counted(ctx).ok).toBeGreaterThanOrEqual(15)
  })

  it('records failures as data by kind, never throws: nothing listens at the target', async () => {
    const url = `http://127.0.0.1:${await freePort()}`
    const driver = driverFactories[kind]()
    const ctx = contextFor(url, kind, new AbortController().signal)
    await driver.runPhase(samplePhase[kind](500), ctx)
    await driver.close(0)
    await driver.close(0)
    const counts = counted(ctx)
    expect(counts.ok).toBe(0)
    expect(counts.failed).toBeGreaterThan(0)
    expect(counts.byError.refused).toBe(counts.failed)
  })
})
