import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunResult } from '../src/core/result-types.js'
import { summaryTable } from '../src/report/summary-table.js'
import { writeReports } from '../src/report/write-reports.js'
import { silentProgress } from '../src/run/progress.js'
import { runScenario } from '../src/run/run-scenario.js'
import { loadScenario, parseScenario } from '../src/scenario/load.js'
import { launchBrowser, openFile } from './support/browser.js'
import { startServer, type TestServer } from './support/servers.js'

let dir: string
let server: TestServer

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cutover-journey-run-'))
  server = await startServer((req, res) => {
    if (req.url === '/login') {
      res.setHeader('location', '/home/7')
      res.end('session=abc123;')
      return
    }
    // every other cart is refused, so some iterations fail on their last step
    const cart = /^\/cart\/(\d+)/.exec(req.url ?? '')?.[1]
    res.statusCode = cart !== undefined && Number(cart) % 2 === 1 ? 409 : 200
    res.end('{}')
  }, { keepBodies: false })
})
afterAll(async () => {
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

/** The shop both tests drive: a ping and a three-step checkout journey whose cart step is refused every other time. */
const shopScenario = (): string => `
name: shop
targets: { a: { url: "${server.url}" } }
requests: [{ name: ping, path: /ping }]
journeys:
  - name: checkout
    weight: 3
    steps:
      - { name: login, method: POST, path: /login, capture: { home: "header:Location", session: "regex:session=(\\\\w+)" } }
      - { name: home, path: "{{ home }}?s={{ session }}" }
      - { name: cart, path: "/cart/{{ randomInt(1, 1000) }}", expect: { status: 200 } }
phases:
  - { name: open, duration: 1s, rate: 100 }
  - { name: closed, duration: 1s, connections: 2 }
`

describe('cutover run with journeys', () => {
  it('reports targets.<name>.journeys[] beside the totals, open and closed phases alike', async () => {
    const scenario = parseScenario(`${shopScenario()}sampling: { interval: 250ms }\n`, join(dir, 's.yaml'))
    const { result } = await runScenario(scenario, { out: join(dir, 'run'), seed: 5, progress: silentProgress, signal: new AbortController().signal, env: {} })
    const written = JSON.parse(readFileSync(join(dir, 'run', 'result.json'), 'utf8')) as RunResult
    const target = written.targets.a
    const journey = target?.journeys?.[0]
    if (target === undefined || journey === undefined) throw new Error('no journey figures')
    expect(journey.name).toBe('checkout')
    expect(journey.steps.map((step) => step.name)).toEqual(['login', 'home', 'cart'])
    const [login, home, cart] = journey.steps
    // captures worked: no step before the cart failed
    expect(login?.failed).toBe(0)
    expect(home?.failed).toBe(0)
    expect(journey.failed).toBeGreaterThan(0)
    expect(journey.completed).toBeGreaterThan(0)
    expect(journey.failures).toEqual({ 'cart: status 409': journey.failed })
    expect(cart?.failed).toBe(journey.failed)
    // iterations cut off at a phase's end are neither completed nor failed
    expect(journey.iterations - journey.completed - journey.failed).toBeGreaterThanOrEqual(0)
    expect(journey.iterations - journey.completed - journey.failed).toBeLessThanOrEqual(4)
    // step requests count in the target's totals, and failed ones as failed requests
    const stepRequests = journey.steps.reduce((sum, step) => sum + step.requests, 0)
    expect(target.requests.total).toBeGreaterThan(stepRequests)
    expect(target.requests.failed).toBe(journey.failed)
    expect(target.requests.byStatus['409']).toBe(journey.failed)
    expect(target.phases.map((phase) => phase.name)).toEqual(['open', 'closed'])
    expect(summaryTable(result)).toMatch(/a checkout\s+\d+/)

    // report.html shows the journeys, checked in Chromium; summary.md has the iterations table
    await writeReports(join(dir, 'run'))
    const markdown = readFileSync(join(dir, 'run', 'summary.md'), 'utf8')
    expect(markdown).toContain('### Journeys')
    expect(markdown).toMatch(/\| a \| checkout \| [\d,]+ \| [\d,]+ \|/)
    const browser = await launchBrowser()
    try {
      const { page, watch } = await openFile(browser, join(dir, 'run', 'report.html'))
      const tables = await page.evaluate<string[][][]>(`(() => {
        const section = [...document.querySelectorAll('section.card')].find((s) => s.querySelector('h2')?.textContent === 'Journeys');
        return section === undefined ? [] : [...section.querySelectorAll('table')].map((table) => [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())));
      })()`)
      expect([...watch.pageErrors, ...watch.consoleErrors]).toEqual([])
      const [iterations, steps] = tables
      const count = (n: number | undefined): string => (n ?? NaN).toLocaleString('en')
      expect(iterations?.[0]?.slice(0, 4)).toEqual(['a', 'checkout', count(journey.iterations), count(journey.completed)])
      expect(iterations?.[0]?.[6]).toBe(`cart: status 409 (${count(journey.failed)})`)
      expect(steps?.map((row) => row[1])).toEqual(['checkout 1. login', 'checkout 2. home', 'checkout 3. cart'])
      expect(steps?.[2]?.[2]).toBe(count(cart?.requests))
    } finally {
      await browser.close()
    }
  })

  it('with --workers 2, the journeys run in both threads and their per-step figures come back into one result', async () => {
    const file = join(dir, 'workers.yaml')
    writeFileSync(file, shopScenario())
    const { result } = await runScenario(loadScenario(file, { env: {} }), { out: join(dir, 'workers-run'), seed: 5, progress: silentProgress, signal: new AbortController().signal, env: {}, workers: 2 })
    const target = result.targets.a
    const journey = target?.journeys?.[0]
    if (target === undefined || journey === undefined) throw new Error('no journey figures')
    expect(result.settings.workers).toBe(2)
    // the open phase's 100 arrivals, split between the threads: each a ping or a journey of up to three requests
    const open = target.phases.find((phase) => phase.name === 'open')
    expect(open?.requests.total).toBeGreaterThanOrEqual(100)
    expect(journey.iterations).toBeGreaterThan(0)
    expect(journey.steps.map((step) => step.name)).toEqual(['login', 'home', 'cart'])
    // captures worked in the threads: no step before the cart failed, and the cart's refusals are the journey's failures
    expect(journey.steps[0]?.failed).toBe(0)
    expect(journey.steps[1]?.failed).toBe(0)
    expect(journey.completed).toBeGreaterThan(0)
    expect(journey.failed).toBeGreaterThan(0)
    expect(journey.steps[2]?.failed).toBe(journey.failed)
    expect(journey.failures).toEqual({ 'cart: status 409': journey.failed })
    expect(target.requests.failed).toBe(journey.failed)
  })
})
