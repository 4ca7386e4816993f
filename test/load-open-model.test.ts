import { performance } from 'node:perf_hooks'
import { afterEach, describe, expect, it } from 'vitest'
import { OpenModelDriver } from '../src/load/open-model.js'
import { RequestMix } from '../src/load/request-mix.js'
import { seededRandom } from '../src/core/random.js'
import { TargetRecorder } from '../src/metrics/recorder.js'
import { parseScenario } from '../src/scenario/load.js'
import { fastPathFits } from '../src/load/raw-http/fast-path.js'
import { startServer, type TestServer } from './support/servers.js'

let server: TestServer | undefined
afterEach(async () => { await server?.close(); server = undefined })

function mixFor (url: string, extra = ''): RequestMix {
  const scenario = parseScenario(`
name: t
targets: { a: { url: "${url}" } }
requests:
  - { name: r, path: "/x/{{ randomInt(1, 9) }}"${extra} }
phases: [{ name: p, duration: 1s, rate: 1 }]
`, '/tmp/t.yaml')
  return new RequestMix(scenario.requests, scenario.data, seededRandom(1), {})
}

describe('open model', () => {
  it('holds 400 req/s for 5 s within ±3%', async () => {
    server = await startServer((_req, res) => res.end('ok'), { keepBodies: false })
    const recorder = new TargetRecorder('a', performance.now())
    recorder.beginPhase('p', 'open', performance.now())
    const driver = new OpenModelDriver()
    const started = performance.now()
    await driver.runPhase({ kind: 'open', name: 'p', durationMs: 5000, fromRate: 400, toRate: 400, maxInFlight: 1000 },
      { target: 'a', origin: new URL(server.url), recorder, mix: mixFor(server.url), signal: new AbortController().signal })
    const elapsedMs = performance.now() - started
    await driver.close(2000)
    recorder.rotate(performance.now())
    const counts = recorder.total.counts
    expect(counts.failed, 'failed').toBe(0)
    expect(counts.ok).toBeGreaterThanOrEqual(2000 * 0.97)
    expect(counts.ok).toBeLessThanOrEqual(2000 * 1.03)
    // the phase lasts its duration, not longer
    expect(elapsedMs).toBeGreaterThan(4900)
    expect(elapsedMs).toBeLessThan(5500)
    expect(recorder.total.generator.dropped).toBe(0)
  })

  it('follows a ramp: arrivals per second rise linearly', async () => {
    server = await startServer((_req, res) => res.end('ok'), { keepBodies: false })
    const recorder = new TargetRecorder('a', performance.now())
    recorder.beginPhase('ramp', 'open', performance.now())
    const driver = new OpenModelDriver()
    await driver.runPhase({ kind: 'open', name: 'ramp', durationMs: 2000, fromRate: 100, toRate: 300, maxInFlight: 1000 },
      { target: 'a', origin: new URL(server.url), recorder, mix: mixFor(server.url), signal: new AbortController().signal })
    await driver.close(2000)
    recorder.rotate(performance.now())
    // (100 + 300) / 2 × 2 s = 400 arrivals
    expect(recorder.total.counts.ok).toBeGreaterThanOrEqual(388)
    expect(recorder.total.counts.ok).toBeLessThanOrEqual(412)
  })

  it('counts arrivals beyond maxInFlight as dropped, never silently', async () => {
    // a server that never answers within the phase
    server = await startServer((_req, res) => { setTimeout(() => res.end('late'), 3000) }, { keepBodies: false })
    const recorder = new TargetRecorder('a', performance.now())
    recorder.beginPhase('p', 'open', performance.now())
    const driver = new OpenModelDriver()
    await driver.runPhase({ kind: 'open', name: 'p', durationMs: 1000, fromRate: 100, toRate: 100, maxInFlight: 10 },
      { target: 'a', origin: new URL(server.url), recorder, mix: mixFor(server.url, ', timeout: 500ms'), signal: new AbortController().signal })
    await driver.close(1000)
    recorder.rotate(performance.now())
    const { counts, generator } = recorder.total
    expect(counts.total).toBe(100)
    expect(generator.sent + generator.dropped).toBe(100)
    expect(generator.dropped).toBeGreaterThan(50)
    expect(counts.byError.dropped).toBe(generator.dropped)
    expect(counts.byError.timeout).toBe(generator.sent)
  })

  it('on the fast path (a request that never changes) sends every planned arrival exactly once, also those an answer releases', async () => {
    let answered = 0
    server = await startServer((_req, res) => { answered++; res.end('ok') }, { keepBodies: false })
    const constant = parseScenario(`
name: t
targets: { a: { url: "${server.url}" } }
requests: [{ name: r, path: /same }]
phases: [{ name: p, duration: 1s, rate: 1 }]
`, '/tmp/t.yaml')
    const mix = new RequestMix(constant.requests, constant.data, seededRandom(1), {})
    expect(fastPathFits(mix, false, new URL(server.url))).toBe(true)
    const recorder = new TargetRecorder('a', performance.now())
    recorder.beginPhase('p', 'open', performance.now())
    const driver = new OpenModelDriver()
    // 1,000 req/s: answers come back between the timer's ticks and send what has come due since
    await driver.runPhase({ kind: 'open', name: 'p', durationMs: 2000, fromRate: 1000, toRate: 1000, maxInFlight: 5000 },
      { target: 'a', origin: new URL(server.url), recorder, mix, signal: new AbortController().signal })
    await driver.close(5000)
    recorder.rotate(performance.now())
    const { counts, generator } = recorder.total
    expect(counts.failed).toBe(0)
    expect(counts.ok).toBe(2000)
    expect(generator.sent).toBe(2000)
    expect(answered).toBe(2000)
  })

  it('stops promptly when aborted', async () => {
    server = await startServer((_req, res) => res.end('ok'), { keepBodies: false })
    const recorder = new TargetRecorder('a', performance.now())
    recorder.beginPhase('p', 'open', performance.now())
    const driver = new OpenModelDriver()
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 300)
    const started = performance.now()
    await driver.runPhase({ kind: 'open', name: 'p', durationMs: 10_000, fromRate: 100, toRate: 100, maxInFlight: 1000 },
      { target: 'a', origin: new URL(server.url), recorder, mix: mixFor(server.url), signal: controller.signal })
    await driver.close(1000)
    expect(performance.now() - started).toBeLessThan(2000)
  })
})
