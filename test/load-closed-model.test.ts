import { performance } from 'node:perf_hooks'
import { afterEach, describe, expect, it } from 'vitest'
import { ClosedModelDriver } from '../src/load/closed-model.js'
import { RequestMix } from '../src/load/request-mix.js'
import { seededRandom } from '../src/core/random.js'
import { TargetRecorder } from '../src/metrics/recorder.js'
import { parseScenario } from '../src/scenario/load.js'
import { startServer, type TestServer } from './support/servers.js'

let server: TestServer | undefined
afterEach(async () => { await server?.close(); server = undefined })

describe('closed model', () => {
  it('keeps exactly the configured number of connections busy', async () => {
    let active = 0
    let maxActive = 0
    const sockets = new Set<unknown>()
    server = await startServer((req, res) => {
      sockets.add(req.socket)
      active++
      maxActive = Math.max(maxActive, active)
      setTimeout(() => { active--; res.end('ok') }, 20)
    })
    const scenario = parseScenario(`
name: t
targets: { a: { url: "${server.url}" } }
requests:
  - { name: a, weight: 3, path: /a }
  - { name: b, weight: 1, path: /b, method: POST, json: { n: "{{ randomInt(1, 3) }}" }, expect: { status: 200 } }
phases: [{ name: p, duration: 2s, connections: 8 }]
`, '/tmp/t.yaml')
    const recorder = new TargetRecorder('a', performance.now(), 'closed')
    recorder.beginPhase('p', 'closed', performance.now())
    await new ClosedModelDriver().runPhase({ kind: 'closed', name: 'p', durationMs: 2000, connections: 8 },
      { target: 'a', origin: new URL(server.url), recorder, mix: new RequestMix(scenario.requests, scenario.data, seededRandom(3), {}), signal: new AbortController().signal })
    recorder.rotate(performance.now())
    expect(maxActive, 'concurrent requests at the server').toBe(8)
    expect(sockets.size, 'distinct connections').toBe(8)
    // 8 connections × 2 s / ~21 ms per request ≈ 760
    const ok = recorder.total.counts.ok
    expect(ok).toBeGreaterThan(500)
    expect(ok).toBeLessThan(820)
    // latency is at least the server's 20 ms delay, recorded in microseconds
    expect(recorder.total.latency.getValueAtPercentile(50)).toBeGreaterThanOrEqual(19_000)
    const bodies = server.received.filter((r) => r.method === 'POST').map((r) => JSON.parse(r.body) as { n: number })
    // weights 3:1 → about a quarter of the requests are POSTs
    expect(bodies.length / server.received.length).toBeGreaterThan(0.18)
    expect(bodies.length / server.received.length).toBeLessThan(0.32)
    expect(bodies.every((b) => typeof b.n === 'number' && b.n >= 1 && b.n <= 3)).toBe(true)
  })
})
