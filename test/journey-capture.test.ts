import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { Client } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { ClosedModelDriver } from '../src/load/closed-model.js'
import { JourneyRunner } from '../src/load/journey-runner.js'
import { sendRequest } from '../src/load/journey-step.js'
import { OpenModelDriver } from '../src/load/open-model.js'
import { seededRandom } from '../src/core/random.js'
import { RequestMix } from '../src/load/request-mix.js'
import { TargetRecorder } from '../src/metrics/recorder.js'
import { loadScenario, type LoadedScenario } from '../src/scenario/load.js'
import { startServer, type TestServer } from './support/servers.js'

const fixture = fileURLToPath(new URL('./fixtures/journeys/browse-and-buy.yaml', import.meta.url))

let server: TestServer | undefined
afterEach(async () => { await server?.close(); server = undefined })

/** GET /products/:id answers a price, a token header and a sku in the body; POST /orders answers 201. */
async function shop (): Promise<TestServer> {
  return await startServer((req, res) => {
    const id = /^\/products\/(\d+)/.exec(req.url ?? '')?.[1]
    if (req.method === 'GET' && id !== undefined) {
      res.setHeader('content-type', 'application/json')
      res.setHeader('x-token', `tok-${id}`)
      res.end(JSON.stringify({ id: Number(id), price: 12.5, currency: 'EUR', label: `sku-${id}0` }))
      return
    }
    if (req.method === 'POST' && req.url === '/orders') {
      res.statusCode = 201
      res.end('{}')
      return
    }
    res.statusCode = 404
    res.end()
  })
}

function runnerFor (scenario: LoadedScenario, recorder: TargetRecorder): { mix: RequestMix, journeys: JourneyRunner, journeyRecorder: JourneyRunner['journeyRecorder'] } {
  const mix = new RequestMix(scenario.requests, scenario.data, seededRandom(7), {})
  const journeys = JourneyRunner.create(scenario.journeys, mix, recorder)
  return { mix, journeys, journeyRecorder: journeys.journeyRecorder }
}

describe('journeys carry captured values into later steps', () => {
  it('posts the JSONPath, header and regex captures of the GET it made first', async () => {
    server = await shop()
    const scenario = loadScenario(fixture, { env: { OLD_URL: server.url, NEW_URL: server.url } })
    const recorder = new TargetRecorder('a', performance.now())
    recorder.beginPhase('p', 'open', performance.now())
    const { journeys, journeyRecorder } = runnerFor(scenario, recorder)
    const client = new Client(server.url)
    const passed = await journeys.run(0, (request, readBody) => sendRequest(client, request, readBody), performance.now())
    await client.close()
    expect(passed).toBe(true)
    const get = server.received[0]
    const post = server.received[1]
    const id = /^\/products\/(\d)$/.exec(get?.path ?? '')?.[1]
    expect(id).toBeDefined()
    expect(post?.method).toBe('POST')
    expect(post?.headers['x-token']).toBe(`tok-${id ?? ''}`)
    expect(JSON.parse(post?.body ?? '')).toEqual({ sku: `${id ?? ''}0`, price: 12.5 })
    expect(post?.headers['content-type']).toBe('application/json')
    const [summary] = journeyRecorder.summary()
    expect(summary).toMatchObject({ name: 'buy', iterations: 1, completed: 1, failed: 0, failures: {} })
    expect(summary?.steps.map((s) => [s.name, s.requests, s.failed])).toEqual([['get-product', 1, 0], ['order', 1, 0]])
    recorder.rotate(performance.now())
    // step requests count in the target's totals
    expect(recorder.total.counts.ok).toBe(2)
  })

  it('ends the iteration at a failed expectation, with the step and reason', async () => {
    server = await startServer((_req, res) => { res.setHeader('content-type', 'application/json'); res.end('{"price": 3, "currency": "USD"}') })
    const scenario = loadScenario(fixture, { env: { OLD_URL: server.url, NEW_URL: server.url } })
    const recorder = new TargetRecorder('a', performance.now())
    recorder.beginPhase('p', 'open', performance.now())
    const { journeys, journeyRecorder } = runnerFor(scenario, recorder)
    const client = new Client(server.url)
    expect(await journeys.run(0, (request, readBody) => sendRequest(client, request, readBody), performance.now())).toBe(false)
    await client.close()
    expect(server.received).toHaveLength(1)
    const [summary] = journeyRecorder.summary()
    expect(summary).toMatchObject({ iterations: 1, completed: 0, failed: 1, failures: { 'get-product: $.currency is "USD", expected "EUR"': 1 } })
    expect(summary?.steps.map((s) => [s.requests, s.failed])).toEqual([[1, 1], [0, 0]])
    recorder.rotate(performance.now())
    expect(recorder.total.counts.byError).toEqual({ expectation: 1 })
  })

  it('runs journeys with single requests under the open model', async () => {
    server = await shop()
    const scenario = loadScenario(fixture, { env: { OLD_URL: server.url, NEW_URL: server.url } })
    const recorder = new TargetRecorder('a', performance.now())
    recorder.beginPhase('p', 'open', performance.now())
    const { mix, journeys, journeyRecorder } = runnerFor(scenario, recorder)
    const driver = new OpenModelDriver()
    await driver.runPhase({ kind: 'open', name: 'p', durationMs: 1000, fromRate: 60, toRate: 60, maxInFlight: 100 },
      { target: 'a', origin: new URL(server.url), recorder, mix, journeys, signal: new AbortController().signal })
    await driver.close(2000)
    recorder.rotate(performance.now())
    const [summary] = journeyRecorder.summary()
    const posts = server.received.filter((r) => r.method === 'POST')
    expect(summary?.failed).toBe(0)
    expect(summary?.iterations).toBeGreaterThan(5)
    expect(posts.length).toBe(summary?.completed)
    for (const post of posts) expect(JSON.parse(post.body)).toMatchObject({ price: 12.5 })
    // 60 starts: each a single request (weight 2) or a journey of two requests (weight 1)
    expect(recorder.total.counts.total).toBe(60 + (summary?.completed ?? 0))
    expect(recorder.total.counts.failed).toBe(0)
  })

  it('loops through journeys on each connection of a closed-model phase', async () => {
    server = await shop()
    const scenario = loadScenario(fixture, { env: { OLD_URL: server.url, NEW_URL: server.url } })
    const recorder = new TargetRecorder('a', performance.now(), 'closed')
    recorder.beginPhase('c', 'closed', performance.now())
    const { mix, journeys, journeyRecorder } = runnerFor(scenario, recorder)
    const started = performance.now()
    await new ClosedModelDriver().runPhase({ kind: 'closed', name: 'c', durationMs: 1000, connections: 4 },
      { target: 'a', origin: new URL(server.url), recorder, mix, journeys, signal: new AbortController().signal })
    const elapsedMs = performance.now() - started
    recorder.rotate(performance.now())
    const [summary] = journeyRecorder.summary()
    expect(elapsedMs).toBeGreaterThan(950)
    expect(elapsedMs).toBeLessThan(1500)
    expect(summary?.completed).toBeGreaterThan(10)
    expect(summary?.failed).toBe(0)
    expect(server.received.filter((r) => r.method === 'POST').length).toBe(summary?.completed)
    expect(recorder.total.counts.failed).toBe(0)
  })
})
