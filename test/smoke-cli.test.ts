import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunResult } from '../src/core/result-types.js'
import { runCli } from './support/cli.js'
import { startServer, type TestServer } from './support/servers.js'

const fixture = fileURLToPath(new URL('./fixtures/journeys/browse-and-buy.yaml', import.meta.url))

let dir: string
let old: TestServer
let renewed: TestServer

/** A shop whose products cost `currency`. */
async function shop (currency: string): Promise<TestServer> {
  return await startServer((req, res) => {
    const id = /^\/products\/(\d+)/.exec(req.url ?? '')?.[1]
    if (req.method === 'GET' && id !== undefined) {
      res.setHeader('content-type', 'application/json')
      res.setHeader('x-token', `tok-${id}`)
      res.end(JSON.stringify({ price: 12.5, currency, label: `sku-${id}` }))
      return
    }
    res.statusCode = req.method === 'POST' && req.url === '/orders' ? 201 : 404
    res.end('{}')
  })
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cutover-smoke-'))
  old = await shop('EUR')
  renewed = await shop('USD')
})
afterAll(async () => {
  await old.close()
  await renewed.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('cutover smoke', () => {
  it('exits 1 when an expectation fails on one target, naming the step, the target and the reason', async () => {
    const out = join(dir, 'fail')
    const run = await runCli(['smoke', fixture, '--out', out], { env: { OLD_URL: old.url, NEW_URL: renewed.url } })
    expect(run.stderr).not.toMatch(/internal error/)
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/buy › get-product\s+PASS\s+FAIL \$\.currency is "USD", expected "EUR"/)
    expect(run.stdout).toMatch(/buy › order\s+PASS\s+- not run/)
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult
    expect(result.command).toBe('smoke')
    expect(result.verdict).toBe('fail')
    const byId = result.checks.map((check) => [check.id, check.target, check.status])
    expect(byId).toEqual([
      ['smoke.get-product.request', 'old', 'pass'],
      ['smoke.get-product.request', 'new', 'pass'],
      ['smoke.buy.get-product', 'old', 'pass'],
      ['smoke.buy.get-product', 'new', 'fail'],
      ['smoke.buy.order', 'old', 'pass'],
      ['smoke.buy.order', 'new', 'inconclusive']
    ])
    const failed = result.checks.find((check) => check.status === 'fail')
    expect(failed?.message).toBe('step "get-product" of journey "buy" failed on new: $.currency is "USD", expected "EUR" (1 of 1)')
    expect(result.targets.new?.journeys?.[0]).toMatchObject({ name: 'buy', iterations: 1, completed: 0, failed: 1 })
    expect(result.targets.old?.journeys?.[0]).toMatchObject({ name: 'buy', iterations: 1, completed: 1, failed: 0 })
    // the plain request, then the journey's GET and POST: all counted in the target's totals
    expect(result.targets.old?.requests.total).toBe(3)
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8')
    expect(junit).toContain('<testcase classname="cutover.new" name="smoke.buy.get-product" time="0">')
    expect(junit).toContain('<failure message="step &quot;get-product&quot; of journey &quot;buy&quot; failed on new: $.currency is &quot;USD&quot;, expected &quot;EUR&quot; (1 of 1)"')
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('smoke.buy.get-product')
    // the old service got the order with its captured values; the new one never got an order
    expect(old.received.filter((r) => r.method === 'POST')).toHaveLength(1)
    expect(renewed.received.filter((r) => r.method === 'POST')).toHaveLength(0)
  })

  it('exits 0 when every step passes, and runs each one --iterations times', async () => {
    const out = join(dir, 'pass')
    const before = old.received.length
    const run = await runCli(['smoke', fixture, '--out', out, '--iterations', '3', '--target', 'old'], { env: { OLD_URL: old.url, NEW_URL: renewed.url } })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('smoke: PASS')
    // smoke has no planned load to time: it says what it runs, not "for 0s"
    expect(run.stderr).toContain('running old\n')
    expect(run.stderr).not.toContain('for 0s')
    expect(old.received.length - before).toBe(9)
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult
    expect(result.checks.every((check) => check.status === 'pass')).toBe(true)
    expect(result.checks.map((check) => check.message)).toContain('step "order" of journey "buy" passed on old (3 of 3)')
  })

  it('exits 2 on a bad --iterations', async () => {
    const run = await runCli(['smoke', fixture, '--iterations', '0'], { env: { OLD_URL: old.url, NEW_URL: renewed.url } })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('--iterations expects a whole number of at least 1')
  })
})
