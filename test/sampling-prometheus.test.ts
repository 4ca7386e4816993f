import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { CutoverError } from '../src/core/errors.js'
import { createSampler } from '../src/sampling/create-sampler.js'
import type { Sampler } from '../src/sampling/sampler.js'
import { startServer, type TestServer } from './support/servers.js'

/** What the fixture exporter serves; tests change it between scrapes. */
interface Exported {
  rssBytes: number
  cpuSeconds: number
  heapBytes?: number
  heapTotalBytes?: number
}

function exposition (state: Exported): string {
  return [
    '# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.',
    '# TYPE process_cpu_seconds_total counter',
    `process_cpu_seconds_total ${state.cpuSeconds}`,
    '# TYPE process_resident_memory_bytes gauge',
    `process_resident_memory_bytes ${state.rssBytes} 1700000000000`,
    ...(state.heapBytes === undefined ? [] : [`nodejs_heap_size_used_bytes ${state.heapBytes}`]),
    ...(state.heapTotalBytes === undefined ? [] : [`nodejs_heap_size_total_bytes ${state.heapTotalBytes}`]),
    '# TYPE http_requests_total counter',
    'http_requests_total{method="GET",code="200"} 90',
    'http_requests_total{method="GET",code="500"} 7',
    'http_requests_total{method="POST",code="500"} 3',
    'nodejs_eventloop_lag_seconds 0.0125',
    ''
  ].join('\n')
}

let server: TestServer | undefined
let sampler: Sampler | undefined
afterEach(async () => {
  await sampler?.close()
  sampler = undefined
  await server?.close()
  server = undefined
})

async function exporter (state: Exported): Promise<TestServer> {
  return startServer((_req, res) => {
    res.setHeader('content-type', 'text/plain; version=0.0.4')
    res.end(exposition(state))
  })
}

describe('Prometheus sampler', () => {
  it('reads RSS, heap and extra metrics, and turns the CPU counter into percent (fixed clock, exact)', async () => {
    const state: Exported = { rssBytes: 123_456_789, cpuSeconds: 10, heapBytes: 45_000_000, heapTotalBytes: 60_000_000 }
    server = await exporter(state)
    let nowMs = 0
    sampler = await createSampler(
      { prometheus: `${server.url}/metrics`, metrics: ['http_requests_total', 'http_requests_total{code="500"}', 'nodejs_eventloop_lag_seconds', 'absent_metric'] },
      undefined, { intervalMs: 1000, clock: () => nowMs })
    expect(sampler?.kind).toBe('prometheus')
    expect(sampler?.source).toBe(`${server.url}/metrics`)

    // +0.5 s of CPU over 1 s
    state.cpuSeconds = 10.5
    nowMs = 1000
    expect(await sampler?.sample()).toEqual({
      rssBytes: 123_456_789,
      cpuPercent: 50,
      heapBytes: 45_000_000,
      heapCommittedBytes: 60_000_000,
      extra: { http_requests_total: 100, 'http_requests_total{code="500"}': 10, nodejs_eventloop_lag_seconds: 0.0125 }
    })

    // +0.75 s over 0.5 s: one and a half cores
    state.cpuSeconds = 11.25
    state.rssBytes = 200_000_000
    nowMs = 1500
    const second = await sampler?.sample()
    expect(second?.cpuPercent).toBe(150)
    expect(second?.rssBytes).toBe(200_000_000)

    // the service restarted: the counter starts again from 0; its whole value is new CPU
    state.cpuSeconds = 0.25
    nowMs = 2500
    expect((await sampler?.sample())?.cpuPercent).toBe(25)

    // unchanged counter: idle
    nowMs = 3500
    expect((await sampler?.sample())?.cpuPercent).toBe(0)
    expect(server.received.length).toBe(5)
  })

  it('turns the counter into percent against the real clock (tolerance)', async () => {
    const state: Exported = { rssBytes: 1000, cpuSeconds: 1 }
    server = await exporter(state)
    sampler = await createSampler({ prometheus: server.url }, undefined, { intervalMs: 500 })
    state.cpuSeconds = 1.25
    await sleep(500)
    const sample = await sampler?.sample()
    // 0.25 s over at least 0.5 s of wall time: at most 50%
    expect(sample?.cpuPercent).toBeGreaterThan(40)
    expect(sample?.cpuPercent).toBeLessThanOrEqual(50.5)
    expect(sample?.heapBytes).toBeUndefined()
    expect(sample?.extra).toBeUndefined()
  })

  it('puts monitor.memoryLimit on its samples', async () => {
    server = await exporter({ rssBytes: 1000, cpuSeconds: 1 })
    sampler = await createSampler({ prometheus: server.url, memoryLimit: 5e8 }, undefined, { intervalMs: 1000 })
    expect((await sampler?.sample())?.memoryLimitBytes).toBe(5e8)
  })

  it('reads nothing while the endpoint is down', async () => {
    server = await exporter({ rssBytes: 1000, cpuSeconds: 1 })
    sampler = await createSampler({ prometheus: server.url }, undefined, { intervalMs: 1000 })
    await server.close()
    server = undefined
    expect(await sampler?.sample()).toBeUndefined()
  })

  it('fails with TARGET_UNREACHABLE when the endpoint cannot be scraped at creation', async () => {
    server = await exporter({ rssBytes: 1000, cpuSeconds: 1 })
    const url = server.url
    await server.close()
    server = undefined
    const error = await createSampler({ prometheus: url }, undefined, { intervalMs: 1000 }).catch((reason: unknown) => reason)
    expect(error).toBeInstanceOf(CutoverError)
    expect((error as CutoverError).code).toBe('TARGET_UNREACHABLE')
    expect((error as CutoverError).message).toBe(`Cannot read metrics from ${url}/: ECONNREFUSED`)
  })

  it('fails with TARGET_UNREACHABLE when the process metrics are missing', async () => {
    server = await startServer((_req, res) => res.end('# nothing useful\nup 1\n'))
    const error = await createSampler({ prometheus: server.url }, undefined, { intervalMs: 1000 }).catch((reason: unknown) => reason)
    expect((error as CutoverError).code).toBe('TARGET_UNREACHABLE')
    expect((error as CutoverError).message).toContain('does not expose process_resident_memory_bytes and process_cpu_seconds_total')
  })

  it('fails on an HTTP error status and on a selector that is not a metric name', async () => {
    server = await startServer((_req, res) => { res.statusCode = 404; res.end('no') })
    const notFound = await createSampler({ prometheus: server.url }, undefined, { intervalMs: 1000 }).catch((reason: unknown) => reason)
    expect((notFound as CutoverError).message).toContain('HTTP 404')
    const badSelector = await createSampler({ prometheus: server.url, metrics: ['not valid'] }, undefined, { intervalMs: 1000 }).catch((reason: unknown) => reason)
    expect((badSelector as CutoverError).message).toBe('monitor.metrics entry "not valid" is not a metric name')
  })
})
