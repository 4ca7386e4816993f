import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import type { RunResult } from '../src/core/result-types.js'
import { silentProgress } from '../src/run/progress.js'
import { loadScenario } from '../src/scenario/load.js'
import { prepareShadow, type ShadowFlags } from '../src/shadow/prepare.js'
import type { ShadowReport } from '../src/shadow/report-types.js'
import { runShadow, type ShadowOutcome } from '../src/run/run-shadow.js'
import { catalog, scenarioText, type CatalogOptions } from './fixtures/shadow/catalog.js'
import { startServer, type TestServer } from './support/servers.js'

const dir = mkdtempSync(join(tmpdir(), 'cutover-shadow-run-'))
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/shadow/${name}`, import.meta.url))
let servers: TestServer[] = []
let runs = 0

afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()))
  servers = []
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function services (variants: Record<string, CatalogOptions>): Promise<Record<string, TestServer>> {
  const started: Record<string, TestServer> = {}
  for (const [name, options] of Object.entries(variants)) {
    started[name] = await startServer(catalog(options))
    servers.push(started[name])
  }
  return started
}

async function shadow (targets: Record<string, TestServer>, flags: ShadowFlags, extra: Parameters<typeof scenarioText>[1] = {}): Promise<ShadowOutcome> {
  const run = runs++
  const file = join(dir, `scenario-${run}.yaml`)
  writeFileSync(file, scenarioText(Object.fromEntries(Object.entries(targets).map(([name, server]) => [name, server.url])), extra))
  const prepared = prepareShadow(loadScenario(file, { env: {} }), flags)
  return runShadow(prepared, { out: join(dir, `run-${run}`), seed: 11, progress: silentProgress, signal: new AbortController().signal, env: {} })
}

const realFields = (report: ShadowReport): string[] =>
  report.endpoints.flatMap((endpoint) => endpoint.fields.filter((field) => field.verdict === 'real').map((field) => `${endpoint.name} ${field.kind} ${field.path}`))

describe('shadow runs against real services', () => {
  it('old and new that differ only in a timestamp and a random id: nothing real, and ignore rules are suggested', async () => {
    const targets = await services({ old: {}, new: {} })
    const { result, report, runDir } = await shadow(targets, { ratePerSec: 400, requests: 200 })
    expect(report.requests).toBe(200)
    expect(realFields(report)).toEqual([])
    const fields = report.endpoints[0]?.fields ?? []
    const generatedAt = fields.find((field) => field.path === '$.generatedAt')
    // old differs from itself in these on every request, as often as it differs from new
    expect(generatedAt).toMatchObject({ kind: 'value', rawRate: 1, noiseRate: 1, verdict: 'noise' })
    expect(fields.find((field) => field.path === '$.requestId')).toMatchObject({ rawRate: 1, noiseRate: 1, verdict: 'noise' })
    expect(report.suggestions.filter((s) => s.rule === 'ignore').map((s) => s.path)).toEqual(['$.generatedAt', '$.requestId'])
    expect(result.verdict).toBe('pass')
    expect(result.checks).toEqual([expect.objectContaining({ id: 'shadow.mismatchRate.get-product', status: 'pass', observed: 0 })])
    // result.json on disk holds the same
    const written = JSON.parse(readFileSync(join(runDir, 'result.json'), 'utf8')) as RunResult
    expect(written.command).toBe('shadow')
    expect(written.shadow?.requests).toBe(200)
    // old answered twice per request, new once
    expect(targets.old?.received).toHaveLength(400)
    expect(targets.new?.received).toHaveLength(200)
    expect(written.targets.old?.requests.total).toBe(400)
  })

  it('ignored paths are reported as ignored and never as real', async () => {
    const targets = await services({ old: {}, new: {} })
    const { report } = await shadow(targets, { ratePerSec: 400, requests: 60 }, { shadow: '  ignore: ["$.generatedAt", "$.requestId"]' })
    const fields = report.endpoints[0]?.fields ?? []
    expect(fields.map((field) => `${field.path} ${field.verdict}`).sort()).toEqual(['$.generatedAt ignored', '$.requestId ignored'])
    expect(report.suggestions).toEqual([])
  })

  it('a new service wrong in one field for one record in five: that path is real at about 20%, nothing else is', async () => {
    const targets = await services({ old: {}, new: { wrongPriceEvery: 5 } })
    const { result, report } = await shadow(targets, { ratePerSec: 500, requests: 300 })
    expect(realFields(report)).toEqual(['get-product value $.price'])
    const endpoint = report.endpoints[0]
    const price = endpoint?.fields.find((field) => field.path === '$.price')
    expect(price?.rawRate).toBeGreaterThan(0.12)
    expect(price?.rawRate).toBeLessThan(0.28)
    expect(price?.noiseRate).toBe(0)
    expect(price?.pValue).toBeLessThan(1e-10)
    expect(endpoint?.mismatched).toBe(price?.rawCount)
    expect(endpoint?.mismatchRate).toBe(price?.rawRate)
    // up to five samples with all three answers
    expect(price?.samples).toHaveLength(5)
    const sample = price?.samples?.[0]
    expect(sample?.request.path).toMatch(/^\/products\/\d*[05]$/)
    expect(JSON.parse(sample?.old.body ?? '{}').price).not.toBe(JSON.parse(sample?.new.body ?? '{}').price)
    expect(JSON.parse(sample?.old.body ?? '{}').price).toBe(JSON.parse(sample?.old2.body ?? '{}').price)
    expect(result.checks[0]).toMatchObject({ id: 'shadow.mismatchRate.get-product', status: 'fail', limit: 0 })
    expect(result.checks[0]?.message).toMatch(/\$\.price value/)
    expect(result.verdict).toBe('fail')
  })

  it('checks.shadow.maxMismatchRate sets the limit', async () => {
    const targets = await services({ old: {}, new: { wrongPriceEvery: 5 } })
    const { result } = await shadow(targets, { ratePerSec: 500, requests: 100 }, { checks: '  shadow: { maxMismatchRate: 40% }' })
    expect(result.checks[0]).toMatchObject({ status: 'pass', limit: 0.4 })
  })

  it('diffy mode applies the fixed thresholds', async () => {
    const targets = await services({ old: {}, new: { wrongPriceEvery: 5 } })
    const { report } = await shadow(targets, { ratePerSec: 500, requests: 100 }, { shadow: '  mode: diffy' })
    expect(report.mode).toBe('diffy')
    expect(realFields(report)).toEqual(['get-product value $.price'])
    expect(report.endpoints[0]?.fields.find((field) => field.path === '$.price')?.reason).toMatch(/Diffy thresholds exceeded/)
  })

  it('order-only differences are `order`; unordered and keyed arrays do not report them, keyed still finds a changed item', async () => {
    const targets = await services({ old: {}, new: { reversed: true } })
    const ordered = await shadow(targets, { ratePerSec: 400, requests: 40 })
    expect(realFields(ordered.report).sort()).toEqual(['get-product order $.items', 'get-product order $.tags'])
    const declared = await shadow(targets, { ratePerSec: 400, requests: 40 }, { shadow: '  arrays: { "$.tags": unordered, "$.items": { key: id } }' })
    expect(realFields(declared.report)).toEqual([])
    expect(declared.result.verdict).toBe('pass')
    const changed = await services({ old: {}, new: { reversed: true, wrongItemPrice: true } })
    const keyed = await shadow(changed, { ratePerSec: 400, requests: 40 }, { shadow: '  arrays: { "$.tags": unordered, "$.items": { key: id } }' })
    expect(realFields(keyed.report)).toEqual(['get-product value $.items[*].price'])
  })

  it('a second old instance (old2) gives the noise answers', async () => {
    const targets = await services({ old: {}, new: {}, old2: {} })
    const { report } = await shadow(targets, { ratePerSec: 400, requests: 50 })
    expect(report.noiseSource).toBe('old2')
    expect(report.targets).toEqual({ old: 'old', new: 'new', noise: 'old2' })
    expect(targets.old?.received).toHaveLength(50)
    expect(targets.old2?.received).toHaveLength(50)
    expect(targets.new?.received).toHaveLength(50)
    expect(realFields(report)).toEqual([])
  })
})

describe('safety against real services', () => {
  const mixed = [
    '  - { name: get-product, path: "/products/{{ randomInt(1, 1000) }}" }',
    '  - { name: create-order, method: POST, path: /orders, json: { qty: 1 } }',
    '  - { name: delete-product, method: DELETE, path: /products/1 }',
    '  - { name: patch-product, method: PATCH, path: /products/1, body: "x" }'
  ].join('\n')

  it('mutating requests of the mix are never received by any service', async () => {
    const targets = await services({ old: {}, new: {} })
    const { report } = await shadow(targets, { ratePerSec: 400, requests: 60 }, { requests: mixed })
    expect(report.skipped.map((s) => `${s.method} ${s.name}`)).toEqual(['POST create-order', 'DELETE delete-product', 'PATCH patch-product'])
    for (const server of Object.values(targets)) expect(server.received.filter((r) => r.method !== 'GET')).toEqual([])
    expect(targets.new?.received).toHaveLength(60)
  })

  it('a request that opted in with allowMutating is sent: three times, as promised', async () => {
    const targets = await services({ old: {}, new: {} })
    const requests = '  - { name: refresh, method: PUT, path: /cache, allowMutating: true }'
    await shadow(targets, { ratePerSec: 200, requests: 5 }, { requests, shadow: '  requests: [refresh]' })
    expect(targets.old?.received.filter((r) => r.method === 'PUT')).toHaveLength(10)
    expect(targets.new?.received.filter((r) => r.method === 'PUT')).toHaveLength(5)
  })
})

describe('replay', () => {
  it('replays a HAR file in order, skipping and counting its POST', async () => {
    const targets = await services({ old: {}, new: { wrongPriceEvery: 5 } })
    // 50 ms between sends, so that the order in which requests reach the server is the order they were sent in,
    // even on a busy machine (at 5 ms apart, two requests on two connections can overtake each other)
    const { report } = await shadow(targets, { ratePerSec: 20, replay: fixture('traffic.har') })
    expect(report.requests).toBe(5)
    expect(report.skipped).toEqual([expect.objectContaining({ method: 'POST', count: 1 })])
    expect(targets.new?.received.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /products/10', 'GET /products/11?view=full', 'GET /products/15', 'HEAD /products/12', 'GET /missing'])
    expect(targets.old?.received.every((r) => r.method !== 'POST')).toBe(true)
    // recorded headers are sent, host is not taken from the recording
    expect(targets.new?.received[0]?.headers.authorization).toBe('Bearer recorded-token')
    expect(targets.new?.received[0]?.headers.host).toBe(`127.0.0.1:${targets.new?.port}`)
    expect(report.endpoints.map((e) => `${e.name} ${e.requests}`).sort()).toEqual(['GET /missing 1', 'GET /products/{id} 3', 'HEAD /products/{id} 1'])
    // 2 of 3 products differ in price, but 3 requests are too few to call anything real
    const products = report.endpoints.find((e) => e.name === 'GET /products/{id}')
    expect(products?.fields.find((f) => f.path === '$.price')).toMatchObject({ rawCount: 2, verdict: 'noise' })
  })

  it('replays NDJSON; --allow-mutating sends its DELETE and PUT too', async () => {
    const targets = await services({ old: {}, new: {} })
    const safe = await shadow(targets, { ratePerSec: 200, replay: fixture('traffic.ndjson') })
    expect(safe.report.requests).toBe(3)
    expect(safe.report.skipped.map((s) => `${s.method} ${s.count}`)).toEqual(['DELETE 1', 'PUT 1'])
    expect(targets.new?.received.map((r) => r.method)).toEqual(['GET', 'GET', 'GET'])
    expect(targets.new?.received[2]?.headers['x-trace']).toBe('abc')
    const all = await shadow(targets, { ratePerSec: 20, replay: fixture('traffic.ndjson'), allowMutating: true })
    expect(all.report.requests).toBe(5)
    expect(targets.new?.received.slice(3).map((r) => `${r.method} ${r.body}`)).toEqual(['GET ', 'GET ', 'DELETE ', 'GET ', 'PUT {"price":1}'])
  })
})
