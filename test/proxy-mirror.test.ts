// `cutover proxy` in mirror mode (issue 18, items 1, 2, 4, 6 and 8): real services behind the proxy, real callers.
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunResult } from '../src/core/result-types.js'
import { catalog } from './fixtures/shadow/catalog.js'
import { runCli } from './support/cli.js'
import { call, withProxy } from './support/proxy.js'
import { startServer, type TestServer } from './support/servers.js'

let dir: string
const servers: TestServer[] = []

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'cutover-proxy-')) })
afterAll(async () => {
  await Promise.all(servers.map(async (server) => { await server.close() }))
  rmSync(dir, { recursive: true, force: true })
})

async function serve (handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const server = await startServer(handler)
  servers.push(server)
  return server
}

describe('cutover proxy, mirror mode', () => {
  it('gives callers old\'s answers byte for byte, streams large bodies, drops hop-by-hop headers, adds Via, and answers 502 when old is gone', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024)
    for (let i = 0; i < big.length; i++) big[i] = (i * 7919) % 251
    const old = await serve((req, res, body) => {
      if (req.url === '/big') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' })
        res.end(big)
      } else if (req.url === '/echo') {
        res.writeHead(200, { 'content-type': 'application/json', connection: 'x-internal', 'x-internal': 'hop only' })
        res.end(JSON.stringify({ headers: req.headers, body }))
      } else if (req.url?.startsWith('/status/') === true) {
        res.writeHead(Number(req.url.slice(8)), { 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'] })
        res.end(`status ${req.url.slice(8)}`)
      } else {
        catalog()(req, res)
      }
    })
    const candidate = await serve(catalog())
    const { result } = await withProxy(dir, old, candidate, 'noiseSample: 0%', async (url) => {
      const bigAnswer = await call(`${url}/big`)
      expect(bigAnswer.status).toBe(200)
      expect(createHash('sha256').update(bigAnswer.body).digest('hex')).toBe(createHash('sha256').update(big).digest('hex'))
      for (const code of [404, 503]) {
        const direct = await call(`${old.url}/status/${code}`)
        const proxied = await call(`${url}/status/${code}`)
        expect([proxied.status, proxied.body.toString(), proxied.headers['set-cookie']]).toEqual([direct.status, direct.body.toString(), ['a=1', 'b=2']])
        expect(proxied.headers.via).toBe('1.1 cutover')
      }
      const echoed = await call(`${url}/echo`, { method: 'POST', headers: { connection: 'x-hop', 'x-hop': 'secret', 'x-kept': 'yes', 'content-type': 'application/json' }, body: '{"order":1}' })
      const seen = JSON.parse(echoed.body.toString()) as { headers: Record<string, string>, body: string }
      expect(seen.body).toBe('{"order":1}')
      expect(seen.headers['x-hop']).toBeUndefined()
      expect(seen.headers['x-kept']).toBe('yes')
      expect(seen.headers.via).toBe('1.1 cutover')
      expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1')
      expect(echoed.headers['x-internal']).toBeUndefined()
      await old.close()
      const gone = await call(`${url}/products/1`)
      expect(gone.status).toBe(502)
      expect(gone.body.toString()).toMatch(/^cutover proxy: old \(http:\/\/127\.0\.0\.1:\d+\) did not answer: refused/)
    })
    // the POST was answered by old and never mirrored (no allowMutating route)
    expect(candidate.received.filter((entry) => entry.method !== 'GET')).toEqual([])
    expect(result.proxy).toMatchObject({ mode: 'mirror', state: 'stopped', answered: 5, mirror: { mutating: 1, tooLarge: 1 } })
    expect(result.targets.old?.requests.byError.refused).toBe(1)
  }, 60_000)

  // the callers, the proxy and both services share this process: its event loop is busy most of the time, so the tests
  // that count every mirrored request turn the mirror's yielding off (test/proxy-busy-gauge.test.ts tests it)
  it('finds a mapping bug in one record in five as a real difference, and timestamps as noise; a POST is mirrored only where a route opts in', async () => {
    const old = await serve(catalog())
    const candidate = await serve(catalog({ wrongPriceEvery: 5 }))
    const { result, report, runDir } = await withProxy(dir, old, candidate, 'noiseSample: 100%, allowMutating: ["POST /search"], mirrorYield: off', async (url) => {
      for (let id = 1; id <= 300; id++) await call(`${url}/products/${id}`)
      await call(`${url}/search`, { method: 'POST', body: '{"q":"shoe"}' })
      await call(`${url}/orders`, { method: 'POST', body: '{}' })
      // the mirror runs after the callers were answered: wait until new has seen every mirrored request
      for (let waited = 0; candidate.received.length < 301 && waited < 200; waited++) await sleep(50)
    })
    const real = report.endpoints.flatMap((endpoint) => endpoint.fields.filter((field) => field.verdict === 'real').map((field) => `${endpoint.name} ${field.kind} ${field.path}`))
    expect(real).toEqual(['GET /products/{id} value $.price'])
    const fields = report.endpoints.find((endpoint) => endpoint.name === 'GET /products/{id}')?.fields ?? []
    expect(fields.find((field) => field.path === '$.generatedAt')).toMatchObject({ verdict: 'noise' })
    expect(fields.find((field) => field.path === '$.price')?.rawRate).toBeCloseTo(0.2, 5)
    expect(candidate.received.map((entry) => `${entry.method} ${entry.path}`).filter((line) => line.startsWith('POST'))).toEqual(['POST /search'])
    expect(result.proxy?.mirror).toMatchObject({ mirrored: 301, compared: 301, mutating: 1, dropped: 0 })
    expect(result.checks.find((check) => check.id === 'shadow.mismatchRate.GET /products/{id}')?.status).toBe('fail')
    for (const file of ['result.json', 'timeline.ndjson', 'run.json']) expect(existsSync(join(runDir, file)), file).toBe(true)
  }, 60_000)

  it('never makes a caller wait for new: a slow new gets what fits the queue, the rest is dropped and counted', async () => {
    const old = await serve(catalog())
    let answeredByNew = 0
    const candidate = await serve((req, res) => {
      setTimeout(() => { answeredByNew++; catalog()(req, res) }, 3000)
    })
    const { result } = await withProxy(dir, old, candidate, 'mirrorQueue: 5, mirrorYield: off', async (url) => {
      for (let id = 1; id <= 50; id++) expect((await call(`${url}/products/${id}`)).status).toBe(200)
      // every caller had old's answer before new answered any mirrored request
      expect(answeredByNew).toBe(0)
    })
    expect(result.proxy?.mirror).toMatchObject({ mirrored: 5, dropped: 45 })
    expect(result.proxy?.answered).toBe(50)
  }, 60_000)

  it('shows its status to anyone and takes actions only with the control token', async () => {
    const old = await serve(catalog())
    const candidate = await serve(catalog())
    await withProxy(dir, old, candidate, 'noiseSample: 0%', async (url) => {
      await call(`${url}/products/1`)
      const status = await call(`${url}/_cutover/status`)
      expect(status.status).toBe(200)
      expect(JSON.parse(status.body.toString())).toMatchObject({ mode: 'mirror', state: 'running', answered: 1 })
      expect((await call(`${url}/_cutover/fallback`, { method: 'POST' })).status).toBe(401)
      expect((await call(`${url}/_cutover/fallback`, { method: 'POST', headers: { authorization: 'Bearer wrong-token' } })).status).toBe(401)
      const allowed = await call(`${url}/_cutover/fallback`, { method: 'POST', headers: { authorization: 'Bearer right-token' } })
      expect(allowed.status).toBe(409)
      expect(JSON.parse(allowed.body.toString()).message).toMatch(/mirror mode/)
      expect((await call(`${url}/_cutover/status`, { method: 'DELETE' })).status).toBe(404)
    }, { controlToken: 'right-token' })
    await withProxy(dir, old, candidate, 'noiseSample: 0%', async (url) => {
      const refused = await call(`${url}/_cutover/promote`, { method: 'POST', headers: { authorization: 'Bearer anything' } })
      expect(refused.status).toBe(403)
      expect(JSON.parse(refused.body.toString()).error).toMatch(/CUTOVER_CONTROL_TOKEN/)
    })
  }, 60_000)

  it('Ctrl-C stops the CLI proxy with exit 130 and writes the report', async () => {
    const old = await serve(catalog())
    const candidate = await serve(catalog())
    const file = join(dir, 'cli-proxy.yaml')
    writeFileSync(file, [
      'name: proxied-cli',
      `targets: { old: { url: "${old.url}" }, new: { url: "${candidate.url}" } }`,
      'requests: [{ name: unused, path: / }]',
      'phases: [{ name: unused, duration: 1s, rate: 1 }]',
      ''
    ].join('\n'))
    const out = join(dir, 'run-cli')
    const run = await runCli(['proxy', file, '--listen', '127.0.0.1:0', '--out', out], {
      onStart: (child) => {
        let text = ''
        child.stderr?.on('data', (chunk: Buffer) => {
          text += chunk.toString()
          const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1]
          if (url === undefined || text.includes('(sent)')) return
          text += '(sent)'
          void (async () => {
            for (let id = 1; id <= 20; id++) await call(`${url}/products/${id}`)
            for (let waited = 0; candidate.received.length < 20 && waited < 200; waited++) await sleep(50)
            child.kill('SIGINT')
          })()
        })
      }
    })
    expect(run.code, run.stderr).toBe(130)
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult
    expect(result.command).toBe('proxy')
    expect(result.status).toBe('interrupted')
    expect(result.proxy).toMatchObject({ state: 'stopped', answered: 20, mirror: { mirrored: 20 } })
    expect(existsSync(join(out, 'report.html'))).toBe(true)
    expect(run.stdout).toContain('run directory:')
    // the final reports have every chart, drawn from the timeline read back from its file (the proxy keeps none in
    // memory, so a proxy that runs for days does not grow with it): both targets' lines, Mermaid charts and the PNGs
    // the live refreshes leave out
    const timeline = readFileSync(join(out, 'timeline.ndjson'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { target: string })
    expect(new Set(timeline.map((line) => line.target))).toEqual(new Set(['old', 'new']))
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('xychart-beta')
    expect(readdirSync(join(out, 'charts')).filter((file) => file.endsWith('.png')).length).toBeGreaterThan(0)
  }, 60_000)

  it('refreshes result.json, report.html and summary.md every reportEvery while it runs, drawn by a process of its own', async () => {
    const old = await serve(catalog())
    const candidate = await serve(catalog())
    let refreshed: RunResult | undefined
    let seenReport = ''
    let pngsWhileRunning: string[] = []
    const { runDir } = await withProxy(dir, old, candidate, 'reportEvery: 1s, noiseSample: 0%', async (url) => {
      for (let i = 0; i < 5; i++) expect((await call(`${url}/products/${i + 1}`)).status).toBe(200)
      // a refresh after those five: result.json says the proxy is running and counts them, report.html and summary.md are there
      const runDirOf = (): string | undefined => {
        const found = readdirSync(dir).filter((name) => name.startsWith('run-')).map((name) => join(dir, name)).filter((path) => existsSync(join(path, 'result.json')))
        return found.find((path) => (JSON.parse(readFileSync(join(path, 'result.json'), 'utf8')) as RunResult).proxy?.state === 'running')
      }
      for (let attempt = 0; attempt < 200 && (refreshed?.proxy?.answered ?? 0) < 5; attempt++) {
        await sleep(100)
        const live = runDirOf()
        if (live === undefined || !existsSync(join(live, 'report.html')) || !existsSync(join(live, 'summary.md'))) continue
        refreshed = JSON.parse(readFileSync(join(live, 'result.json'), 'utf8')) as RunResult
        seenReport = readFileSync(join(live, 'report.html'), 'utf8')
        pngsWhileRunning = existsSync(join(live, 'charts')) ? readdirSync(join(live, 'charts')) : []
      }
    })
    expect(refreshed?.proxy).toMatchObject({ state: 'running', answered: 5 })
    expect(seenReport).toContain('<!DOCTYPE html>')
    // refreshes leave the PNG charts out (they cost the proxy ~80 MB); report.html and summary.md draw their own
    expect(pngsWhileRunning).toEqual([])
    // and at the end, the final files say it stopped
    expect((JSON.parse(readFileSync(join(runDir, 'result.json'), 'utf8')) as RunResult).proxy?.state).toBe('stopped')
  }, 60_000)
})
