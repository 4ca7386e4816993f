import { performance } from 'node:perf_hooks'
import { afterEach, describe, expect, it } from 'vitest'
import { JourneyRunner } from '../src/load/journey-runner.js'
import { OpenModelDriver } from '../src/load/open-model.js'
import { seededRandom } from '../src/core/random.js'
import { RequestMix } from '../src/load/request-mix.js'
import { TargetRecorder } from '../src/metrics/recorder.js'
import { parseScenario } from '../src/scenario/load.js'
import { startServer, type TestServer } from './support/servers.js'

let server: TestServer | undefined
afterEach(async () => { await server?.close(); server = undefined })

describe('open model with journeys (timing suite)', () => {
  it('holds 200 starts/s for 5 s within ±3%, and a stalled step shows in that step\'s p99', async () => {
    let stepB = 0
    server = await startServer((req, res) => {
      // every 25th call of step b sleeps 1 s: 4% of that step, well above its p99 rank, and longer than a busy machine
      // delays every step (this process serves and sends both; under contention its own p99 reaches a few hundred ms)
      if (req.url === '/b' && ++stepB % 25 === 0) setTimeout(() => res.end('{"ok":true}'), 1000)
      else res.end(req.url === '/a' ? '{"next":"b"}' : 'ok')
    }, { keepBodies: false })
    const scenario = parseScenario(`
name: t
targets: { a: { url: "${server.url}" } }
requests: [{ name: ping, path: /ping }]
journeys:
  - name: two-steps
    steps:
      - { name: a, path: /a, capture: { next: $.next } }
      - think: 20ms
      - { name: b, path: "/{{ next }}" }
phases: [{ name: p, duration: 5s, rate: 200 }]
`, '/tmp/t.yaml')
    const recorder = new TargetRecorder('a', performance.now())
    recorder.beginPhase('p', 'open', performance.now())
    const mix = new RequestMix(scenario.requests, scenario.data, seededRandom(3), {})
    const journeys = JourneyRunner.create(scenario.journeys, mix, recorder)
    const journeyRecorder = journeys.journeyRecorder
    const driver = new OpenModelDriver()
    const started = performance.now()
    await driver.runPhase({ kind: 'open', name: 'p', durationMs: 5000, fromRate: 200, toRate: 200, maxInFlight: 1000 },
      { target: 'a', origin: new URL(server.url), recorder, mix, journeys, signal: new AbortController().signal })
    const elapsedMs = performance.now() - started
    await driver.close(2000)
    recorder.rotate(performance.now())
    const [journey] = journeyRecorder.summary()
    if (journey === undefined) throw new Error('no journey figures')
    const [a, b] = journey.steps
    // starts = single requests + journey iterations: 200/s × 5 s = 1000 (±3%)
    const singles = recorder.total.counts.total - (a?.requests ?? 0) - (b?.requests ?? 0)
    const starts = singles + journey.iterations
    expect(starts).toBeGreaterThanOrEqual(970)
    expect(starts).toBeLessThanOrEqual(1030)
    expect(elapsedMs).toBeGreaterThan(4900)
    expect(elapsedMs).toBeLessThan(5500)
    expect(recorder.total.generator.dropped).toBe(0)
    expect(journey.failed).toBe(0)
    expect(journey.iterations).toBeGreaterThan(400)
    // the stall hides in step b only: its p99 holds the 1 s sleeps, step a's stays under half of that
    expect(b?.latencyMs.p99).toBeGreaterThanOrEqual(995)
    expect(a?.latencyMs.p99).toBeLessThan(500)
    expect(b?.latencyMs.p50).toBeLessThan(50)
  })
})
