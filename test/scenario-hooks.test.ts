// Scenario code (issue 17, item 4): a hooks module's beforeRequest, afterResponse, setup and teardown, run against a
// real service that checks an HMAC signature and a bearer token only setup() knows.
import { createHmac } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isCutoverError } from '../src/core/errors.js'
import { loadScenario, run } from '../src/index.js'
import { silentProgress } from '../src/run/progress.js'
import { runShadow } from '../src/run/run-shadow.js'
import { prepareShadow } from '../src/shadow/prepare.js'
import { startServer, type TestServer } from './support/servers.js'

let dir: string
let server: TestServer
const secret = 'hook-secret'

/** The service: /signed/* needs `x-signature` = HMAC(secret, method + path) and the token setup() got from /login. */
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cutover-hooks-'))
  server = await startServer((req, res) => {
    const path = req.url ?? ''
    if (path === '/login') {
      res.end(JSON.stringify({ token: 'tok-42' }))
      return
    }
    const signature = createHmac('sha256', secret).update(`${req.method ?? ''}${path}`).digest('hex')
    if (path.startsWith('/signed') && (req.headers['x-signature'] !== signature || req.headers.authorization !== 'Bearer tok-42')) {
      res.statusCode = 401
      res.end('{}')
      return
    }
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ total: path.includes('empty') ? 0 : 3, step: req.headers['x-step'] ?? null }))
  })
  writeFileSync(join(dir, 'hooks.mjs'), `
import { createHmac } from 'node:crypto'
import { appendFileSync } from 'node:fs'
export async function setup ({ targets }) {
  const answer = await fetch(new URL('/login', targets.svc))
  return { token: (await answer.json()).token }
}
export function beforeRequest (request, context) {
  request.headers.authorization = 'Bearer ' + context.data.token
  request.headers['x-signature'] = createHmac('sha256', ${JSON.stringify(secret)}).update(request.method + request.path).digest('hex')
  context.vars.seen = (context.vars.seen ?? 0) + 1
  return { headers: { ...request.headers, 'x-step': String(context.vars.seen) } }
}
export function afterResponse (response) {
  if (JSON.parse(response.body).total === 0) return 'total was 0'
}
export function explode () { throw new TypeError('no key for ' + Date.now()) }
export function teardown ({ data }) { appendFileSync(${JSON.stringify(join(dir, 'teardown.log'))}, data.token + '\\n') }
`)
})
afterAll(async () => {
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

const scenarioText = (phase: string, extra = ''): string => `
name: hooked
hooks: ./hooks.mjs
targets: { svc: { url: "${server.url}" } }
requests:
  - { name: signed, path: /signed/a, weight: 3 }
  - { name: empty, path: /signed/empty }
  - { name: unsigned, path: /signed/raw, beforeRequest: false, afterResponse: false }
  - { name: broken, path: /signed/broken, beforeRequest: explode }
journeys:
  - name: two-steps
    steps:
      - { name: first, path: /signed/one }
      - { name: second, path: /signed/two, expect: { "$.step": "2" } }
phases:
  - ${phase}
${extra}`

describe('hooks', () => {
  for (const [model, phase] of [['open', '{ name: steady, duration: 1s, rate: 120 }'], ['closed', '{ name: steady, duration: 1s, connections: 2 }']] as const) {
    it(`sign requests, judge answers, and fail only the request whose hook throws (${model} model)`, async () => {
      const file = join(dir, `${model}.yaml`)
      writeFileSync(file, scenarioText(phase))
      rmSync(join(dir, 'teardown.log'), { force: true })
      const before = server.received.length
      const result = await run(file, { out: join(dir, `run-${model}`), seed: 3, reports: false, env: {} })
      const requests = result.targets.svc?.requests
      if (requests === undefined) throw new Error('no figures for svc')
      expect(result.status).toBe('completed')
      // signed by beforeRequest with setup()'s token: the service accepted every one; only the opted-out one is 401
      const byError = requests.byError
      expect(Object.keys(byError).filter((kind) => kind.startsWith('http '))).toEqual(['http 401'])
      const received = server.received.slice(before)
      const unsigned = received.filter((entry) => entry.path === '/signed/raw')
      expect(unsigned.length).toBeGreaterThan(0)
      expect(unsigned.every((entry) => entry.headers['x-signature'] === undefined)).toBe(true)
      expect(byError['http 401']).toBe(unsigned.length)
      // afterResponse's reason fails the request as an expectation, named
      expect(byError['expectation: total was 0']).toBeGreaterThan(0)
      // the throwing hook fails its requests with kind hook and its message (the timestamp folded), never the run
      const hookKinds = Object.keys(byError).filter((kind) => kind.startsWith('hook: '))
      expect(hookKinds).toEqual(['hook: beforeRequest: TypeError: no key for <n>'])
      expect(received.some((entry) => entry.path === '/signed/broken')).toBe(false)
      // journeys: the hook's vars carry from step one to step two (the second step's expectation reads x-step 2)
      const journey = result.targets.svc?.journeys?.[0]
      expect(journey?.completed).toBeGreaterThan(0)
      expect(journey?.failed ?? 0).toBe(0)
      expect(readFileSync(join(dir, 'teardown.log'), 'utf8')).toBe('tok-42\n')
    }, 60_000)
  }

  it('run in worker threads with setup()\'s data passed to each', async () => {
    const file = join(dir, 'workers.yaml')
    writeFileSync(file, scenarioText('{ name: steady, duration: 1s, rate: 100 }'))
    const before = server.received.length
    const result = await run(file, { out: join(dir, 'run-workers'), seed: 4, workers: 2, reports: false, env: {} })
    const requests = result.targets.svc?.requests
    expect(result.settings.workers).toBe(2)
    const signed = server.received.slice(before).filter((entry) => entry.path === '/signed/a')
    expect(signed.length).toBeGreaterThan(10)
    expect(signed.every((entry) => entry.headers.authorization === 'Bearer tok-42')).toBe(true)
    expect(requests?.byError['expectation: total was 0']).toBeGreaterThan(0)
  }, 60_000)

  it('refuse hooks that do not exist, with file, line, column and field', async () => {
    const file = join(dir, 'missing-export.yaml')
    writeFileSync(file, scenarioText('{ name: steady, duration: 1s, rate: 10 }').replace('beforeRequest: explode', 'beforeRequest: explod'))
    const error = await loadScenario(file, { env: {} }).then(() => undefined, (thrown: unknown) => thrown)
    if (!isCutoverError(error)) throw new Error('expected a CutoverError')
    expect(error.code).toBe('SCENARIO_INVALID')
    const issue = error.issues[0]
    expect(issue?.message).toMatch(/no function "explod".*"explode"/)
    expect(issue?.location).toMatchObject({ file, line: 9, field: 'requests[3].beforeRequest' })
    expect(issue?.location.column).toBeGreaterThan(40)

    const noModule = join(dir, 'no-module.yaml')
    writeFileSync(noModule, scenarioText('{ name: steady, duration: 1s, rate: 10 }').replace('hooks: ./hooks.mjs', 'hooks: ./nowhere.mjs'))
    const missing = await loadScenario(noModule, { env: {} }).then(() => undefined, (thrown: unknown) => thrown)
    if (!isCutoverError(missing)) throw new Error('expected a CutoverError')
    expect(missing.issues[0]?.location).toMatchObject({ file: noModule, line: 3, column: 8, field: 'hooks' })
    expect(missing.issues[0]?.message).toContain('nowhere.mjs')

    writeFileSync(join(dir, 'broken.mjs'), 'export function beforeRequest ( {\n')
    const brokenFile = join(dir, 'broken-module.yaml')
    writeFileSync(brokenFile, scenarioText('{ name: steady, duration: 1s, rate: 10 }').replace('./hooks.mjs', './broken.mjs'))
    const broken = await loadScenario(brokenFile, { env: {} }).then(() => undefined, (thrown: unknown) => thrown)
    if (!isCutoverError(broken)) throw new Error('expected a CutoverError')
    expect(broken.code).toBe('SCENARIO_CODE')
    expect(broken.issues[0]?.location).toMatchObject({ file: brokenFile, line: 3, field: 'hooks' })
  })

  it('sign each arm of a shadow run, and never let a hook turn a read into a write', async () => {
    writeFileSync(join(dir, 'shadow-hooks.mjs'), `
import { createHmac } from 'node:crypto'
export const setup = () => ({ token: 'tok-42' })
export function beforeRequest (request, context) {
  request.headers.authorization = 'Bearer ' + context.data.token
  request.headers['x-signature'] = createHmac('sha256', ${JSON.stringify(secret)}).update(request.method + request.path).digest('hex')
}
export function toPost (request) { request.method = 'POST' }
`)
    const file = join(dir, 'shadow.yaml')
    writeFileSync(file, `
name: shadowed
hooks: ./shadow-hooks.mjs
targets: { old: { url: "${server.url}" }, new: { url: "${server.url}" } }
requests:
  - { name: signed, path: /signed/a, weight: 4 }
  - { name: sneaky, path: /signed/b, beforeRequest: toPost }
phases: [{ name: steady, duration: 1s, rate: 10 }]
shadow: { requests: [signed, sneaky] }
`)
    const before = server.received.length
    const scenario = await loadScenario(file, { env: {} })
    const outcome = await runShadow(prepareShadow(scenario, { requests: 30, ratePerSec: 60 }), { out: join(dir, 'run-shadow'), seed: 5, progress: silentProgress, signal: new AbortController().signal, env: {} })
    const received = server.received.slice(before)
    expect(received.length).toBeGreaterThan(30)
    expect(received.every((entry) => entry.method === 'GET' && entry.path === '/signed/a')).toBe(true)
    const old = outcome.result.targets.old?.requests
    expect(old?.byError['http 401']).toBeUndefined()
    expect(old?.byError['hook: beforeRequest turned a read-only request into POST; not shadowed']).toBeGreaterThan(0)
  }, 60_000)

  it('stop before any load when setup() fails, and say so', async () => {
    writeFileSync(join(dir, 'failing-setup.mjs'), 'export function setup () { throw new Error(\'login refused\') }\nexport function beforeRequest () {}\n')
    const file = join(dir, 'failing-setup.yaml')
    writeFileSync(file, scenarioText('{ name: steady, duration: 1s, rate: 10 }').replace('./hooks.mjs', './failing-setup.mjs').replace(', beforeRequest: explode', ''))
    const before = server.received.length
    const error = await run(file, { out: join(dir, 'run-setup'), reports: false, env: {} }).then(() => undefined, (thrown: unknown) => thrown)
    if (!isCutoverError(error)) throw new Error('expected a CutoverError')
    expect(error.code).toBe('SCENARIO_CODE')
    expect(error.message).toBe('setup() failed: login refused')
    expect(server.received.length).toBe(before)
    expect(existsSync(join(dir, 'run-setup', 'run.json'))).toBe(true)
  }, 30_000)
})
