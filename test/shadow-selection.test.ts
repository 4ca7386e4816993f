import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CutoverError, isCutoverError } from '../src/core/errors.js'
import { loadScenario } from '../src/scenario/load.js'
import { shadowArms } from '../src/shadow/arms.js'
import { closedPhaseShadowRate, plannedArrivals, planShadow } from '../src/shadow/plan.js'
import { formatDryRun } from '../src/shadow/format.js'
import { prepareShadow } from '../src/shadow/prepare.js'
import { filterReplay, parseHar, parseNdjson, replayEndpoint } from '../src/shadow/replay.js'
import { makeSample, shorten } from '../src/shadow/samples.js'
import { selectShadowRequests } from '../src/shadow/selection.js'
import type { ShadowAnswer } from '../src/shadow/answer.js'

const dir = mkdtempSync(join(tmpdir(), 'cutover-shadow-selection-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let files = 0
function scenarioFile (body: string): string {
  const file = join(dir, `s${files++}.yaml`)
  writeFileSync(file, `name: shop\ntargets:\n  old: { url: http://127.0.0.1:1 }\n  new: { url: http://127.0.0.1:2 }\nphases:\n  - { name: steady, duration: 10s, rate: 5 }\n${body}`)
  return file
}

function thrown (run: () => unknown): CutoverError {
  try {
    run()
  } catch (error) {
    if (isCutoverError(error)) return error
    throw error
  }
  throw new Error('expected a CutoverError')
}

const mix = `requests:
  - { name: get-product, weight: 7, path: /products/1 }
  - { name: search, weight: 2, method: HEAD, path: "/search?q=hat" }
  - { name: create-order, weight: 1, method: POST, path: /orders, json: { qty: 1 } }
  - { name: refresh, weight: 1, method: PUT, path: /cache, allowMutating: true }
`

describe('request selection and safety', () => {
  it('without shadow.requests: every read-only request and those that opted in; mutating ones listed as skipped', () => {
    const selection = selectShadowRequests(loadScenario(scenarioFile(mix)))
    expect(selection.requests.map((r) => r.name)).toEqual(['get-product', 'search', 'refresh'])
    expect(selection.skipped).toEqual([{ name: 'create-order', method: 'POST', reason: 'mutating (add allowMutating: true to shadow it)', count: 1 }])
  })

  it('shadow.requests naming a POST without allowMutating is an error that explains why, at its line', () => {
    const file = scenarioFile(`${mix}shadow:\n  requests: [get-product, create-order]\n`)
    const error = thrown(() => selectShadowRequests(loadScenario(file)))
    expect(error.code).toBe('SCENARIO_INVALID')
    expect(error.issues).toHaveLength(1)
    expect(error.issues[0]?.location).toMatchObject({ file, line: 13, field: 'shadow.requests[1]' })
    expect(error.issues[0]?.message).toMatch(/"create-order" is a POST request: a shadow run sends every request three times .* so a POST would create three orders/)
  })

  it('shadow.requests may name a mutating request that opted in', () => {
    const selection = selectShadowRequests(loadScenario(scenarioFile(`${mix}shadow:\n  requests: [refresh]\n`)))
    expect(selection.requests.map((r) => r.name)).toEqual(['refresh'])
    expect(selection.skipped.map((s) => s.name)).toEqual(['get-product', 'search', 'create-order'])
  })

  it('a mix with nothing read-only is a usage error', () => {
    const file = scenarioFile('requests:\n  - { name: create, method: POST, path: /orders }\n')
    expect(thrown(() => selectShadowRequests(loadScenario(file))).code).toBe('SHADOW_CONFIG')
  })

  it('--allow-mutating without --replay is refused: scenario requests opt in one by one', () => {
    expect(thrown(() => prepareShadow(loadScenario(scenarioFile(mix)), { allowMutating: true })).message).toMatch(/--replay only/)
  })

  it('the dry-run listing shows method, path template and weight of each request, and what is skipped', () => {
    const text = formatDryRun(prepareShadow(loadScenario(scenarioFile(mix.replace('/products/1', '"/products/{{ randomInt(1, 9) }}"'))), { ratePerSec: 10, durationMs: 5000 }))
    expect(text).toMatch(/get-product\s+GET\s+\/products\/\{\{ randomInt\(1, 9\) \}\}\s+7\s+70\.0%/)
    expect(text).toMatch(/search\s+HEAD\s+\/search\?q=hat\s+2/)
    expect(text).toMatch(/POST create-order: mutating/)
    expect(text).toMatch(/about 50 requests/)
    expect(text).toMatch(/nothing was sent/)
  })
})

describe('targets', () => {
  it('old, new and old2 by name', () => {
    expect(shadowArms(['new', 'old', 'old2'])).toEqual({ old: 'old', new: 'new', old2: 'old2', note: undefined })
    expect(shadowArms(['old', 'new'])).toEqual({ old: 'old', new: 'new', old2: undefined, note: undefined })
  })

  it('otherwise the first two targets, and it says so', () => {
    const arms = shadowArms(['v1', 'v2'])
    expect(arms).toMatchObject({ old: 'v1', new: 'v2', old2: undefined })
    expect(arms.note).toMatch(/"v1" as old and "v2" as new/)
  })

  it('flags choose, and are checked', () => {
    expect(shadowArms(['a', 'b', 'c'], { old: 'b', new: 'c', old2: 'a' })).toMatchObject({ old: 'b', new: 'c', old2: 'a' })
    expect(thrown(() => shadowArms(['a', 'b'], { old: 'x' })).code).toBe('USAGE')
    expect(thrown(() => shadowArms(['a'])).message).toMatch(/needs two targets/)
    expect(thrown(() => shadowArms(['a', 'b'], { old: 'a', new: 'a' })).code).toBe('SHADOW_CONFIG')
  })
})

describe('plan', () => {
  const phases = [
    { name: 'warmup', duration: 10_000, rate: 5 },
    { name: 'ramp', duration: 20_000, rate: { from: 5, to: 15 } },
    { name: 'flood', duration: 5000, connections: 32 },
    { name: 'cooldown', duration: 20_000, rate: 0 }
  ]

  it('open phases keep their rates, closed phases get a fixed rate, idle phases are skipped', () => {
    const plan = planShadow(phases)
    expect(plan.source).toBe('phases')
    expect(plan.phases).toEqual([
      { name: 'warmup', durationMs: 10_000, fromRate: 5, toRate: 5 },
      { name: 'ramp', durationMs: 20_000, fromRate: 5, toRate: 15 },
      { name: 'flood', durationMs: 5000, fromRate: closedPhaseShadowRate, toRate: closedPhaseShadowRate }
    ])
    expect(plannedArrivals(plan.phases)).toBe(50 + 200 + 100)
  })

  it('flags replace the phases; --requests alone caps them', () => {
    expect(planShadow(phases, { ratePerSec: 50, durationMs: 2000 }).phases).toEqual([{ name: 'shadow', durationMs: 2000, fromRate: 50, toRate: 50 }])
    expect(planShadow(phases, { ratePerSec: 100, requests: 300 }).phases[0]?.durationMs).toBe(4000)
    expect(planShadow(phases, { requests: 7 })).toMatchObject({ source: 'phases', maxRequests: 7 })
    expect(thrown(() => planShadow(phases, { ratePerSec: -1 })).code).toBe('USAGE')
    expect(thrown(() => planShadow([{ name: 'idle', duration: 1000, rate: 0 }])).message).toMatch(/send nothing/)
  })
})

describe('replay files', () => {
  const har = {
    log: {
      entries: [
        { request: { method: 'GET', url: 'https://shop.example/products/12?view=full', headers: [{ name: 'Host', value: 'shop.example' }, { name: 'Accept', value: 'application/json' }, { name: ':authority', value: 'x' }, { name: 'Accept-Encoding', value: 'gzip' }] } },
        { request: { method: 'post', url: 'https://shop.example/orders', headers: [], postData: { text: '{"qty":1}' } } }
      ]
    }
  }

  it('HAR: method, path and query, headers without host, pseudo-headers or accept-encoding', () => {
    expect(parseHar(har, 'x.har')).toEqual([
      { method: 'GET', path: '/products/12?view=full', headers: { accept: 'application/json' }, body: undefined },
      { method: 'POST', path: '/orders', headers: {}, body: '{"qty":1}' }
    ])
  })

  it('NDJSON: one object per line, blank lines skipped, bad lines located', () => {
    expect(parseNdjson('{"method":"GET","path":"/a","headers":{"X-Id":"1"}}\n\n{"path":"/b"}\n', 'x.ndjson')).toEqual([
      { method: 'GET', path: '/a', headers: { 'x-id': '1' }, body: undefined },
      { method: 'GET', path: '/b', headers: {}, body: undefined }
    ])
    expect(thrown(() => parseNdjson('{"path":"/a"}\nnot json\n', 'x.ndjson')).message).toMatch(/^x\.ndjson:2: not a JSON object/)
  })

  it('mutating recorded calls are skipped and counted unless allowed', () => {
    const entries = parseHar(har, 'x.har')
    expect(filterReplay(entries, false)).toEqual({ entries: [entries[0]], skipped: [{ name: 'recorded POST', method: 'POST', reason: 'mutating (pass --allow-mutating to send recorded mutating calls)', count: 1 }] })
    expect(filterReplay(entries, true).entries).toHaveLength(2)
  })

  it('recorded calls count under method and path pattern', () => {
    expect(replayEndpoint('GET', '/products/12?view=full')).toBe('GET /products/{id}')
    expect(replayEndpoint('GET', '/users/6fa459ea-ee8a-3ca4-894e-db77e160355e/orders')).toBe('GET /users/{id}/orders')
    expect(replayEndpoint('GET', '/a-rather-long-but-plain-slug-name')).toBe('GET /a-rather-long-but-plain-slug-name')
  })
})

describe('samples', () => {
  const answer = (body: string, headers: Record<string, string> = {}): ShadowAnswer => ({ status: 200, headers, body, truncated: false, error: undefined, latencyMs: 1 })

  it('redacts credentials in headers, query and bodies, and cuts long bodies', () => {
    const sample = makeSample(
      { endpoint: 'e', method: 'GET', path: '/me?access_token=abc123&page=2', headers: { authorization: 'Bearer xyz' }, body: undefined, timeoutMs: 1000, allowMutating: false, spec: undefined },
      answer('{"token":"secret-value","name":"a"}', { 'set-cookie': 'sid=1', 'content-type': 'application/json' }),
      answer('x'.repeat(5000)),
      { ...answer(''), status: 0, error: 'timeout' }
    )
    expect(sample.request.path).toBe('/me?access_token=[REDACTED]&page=2')
    expect(sample.old.headers).toEqual({ 'set-cookie': '[REDACTED]', 'content-type': 'application/json' })
    expect(sample.old.body).toBe('{"token":"[REDACTED]","name":"a"}')
    expect(sample.old2.body.length).toBeLessThan(2100)
    expect(sample.old2.body).toMatch(/… \(2952 more characters\)$/)
    expect(sample.new.body).toBe('(no response: timeout)')
    expect(shorten('abc', 2)).toBe('ab… (1 more characters)')
  })
})
