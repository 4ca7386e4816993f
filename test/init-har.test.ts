import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseCsv } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BrowserSession } from './support/browser.js'
import { runCli, type CliRun } from './support/cli.js'
import { readWritten, schemaOfLineOne, type WrittenScenario } from './support/init-files.js'

const catalogScript = fileURLToPath(new URL('../scenarios/demo/catalog.mjs', import.meta.url))
// catalog.mjs prints the PORT it was given (0 here); this preload prints the port it got
const printPort = fileURLToPath(new URL('./fixtures/init/print-port.mjs', import.meta.url))
const cookieValue = 'cookie-value-7f3c91d2'
const tokenValue = 'token-value-4b8e2a61'

/** Starts the demo's catalogue service on 127.0.0.1, port 0, and resolves with its base URL once it listens. */
function startCatalog (): Promise<{ url: string, port: number, child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', printPort, catalogScript], { env: { ...process.env, PORT: '0', VERSION: '1' }, stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    let output = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /listening (\d+)/.exec(output)
      if (match !== null) resolve({ url: `http://127.0.0.1:${match[1] ?? ''}`, port: Number(match[1]), child })
    })
    child.once('exit', (code) => reject(new Error(`catalog.mjs exited with ${String(code)} before listening`)))
  })
}

let dir: string
let catalog: { url: string, port: number, child: ChildProcess } | undefined
const browser = new BrowserSession()

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cutover-init-har-'))
  catalog = await startCatalog()
  await browser.start()
})
afterAll(async () => {
  await browser.close()
  catalog?.child.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

/** Records a HAR through Chromium: product pages, searches, health, an order, an image and another host, all with a cookie and a token. */
async function recordHar (path: string): Promise<void> {
  const base = catalog?.url ?? ''
  // fails (does not skip) when /usr/bin/chromium is missing: BrowserSession keeps the launch error for get()
  const context = await browser.get().newContext({ recordHar: { path } })
  await context.addCookies([{ name: 'session', value: cookieValue, url: base }])
  await context.setExtraHTTPHeaders({ authorization: `Bearer ${tokenValue}` })
  const page = await context.newPage()
  for (const id of [1, 2, 3, 2, 7]) await page.goto(`${base}/products/${id}`)
  for (const q of ['shoe', 'hat', 'shoe']) await page.goto(`${base}/search?q=${q}`)
  await page.goto(`${base}/health`)
  await page.evaluate(async (url) => {
    const answer = await fetch(`${url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ productId: 3, qty: 1 }) })
    await answer.text()
  }, base)
  await page.goto(`${base}/static/logo.png`)
  await page.goto(`http://localhost:${catalog?.port ?? 0}/health`)
  await context.close()
}

interface HarFile { log: { entries: Array<{ request: { method: string, url: string } }> } }

/** Calls per `METHOD /path-shape` counted from the HAR itself: the demo host only, no image, numbers as {id}. */
function countedCalls (harPath: string, base: string): Map<string, number> {
  const counts = new Map<string, number>()
  for (const { request } of (JSON.parse(readFileSync(harPath, 'utf8')) as HarFile).log.entries) {
    const url = new URL(request.url)
    if (url.origin !== base || url.pathname.endsWith('.png')) continue
    const key = `${request.method} ${url.pathname.replace(/\/\d+(?=\/|$)/g, '/{id}')}`
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return counts
}

interface Recorded { harPath: string, file: string, run: CliRun, written: WrittenScenario }
let recording: Promise<Recorded> | undefined

/**
 * Records the HAR and runs `cutover init --har` on it, once, on first use: inside the tests rather than in beforeAll, so
 * a missing Chromium fails each test instead of leaving them skipped.
 */
async function recorded (): Promise<Recorded> {
  recording ??= (async () => {
    const harPath = join(dir, 'session.har')
    await recordHar(harPath)
    const file = join(dir, 'recorded.yaml')
    const run = await runCli(['init', '--har', harPath, '-o', file])
    return { harPath, file, run, written: readWritten(file) }
  })()
  return await recording
}

describe('cutover init --har on a recording of the demo service through Chromium', () => {
  it('exits 0 and names the environment variables that hold the credentials', async () => {
    const { run } = await recorded()
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('set before a run: CUTOVER_AUTHORIZATION, CUTOVER_COOKIE')
    expect(run.stdout).toContain(`wrote ${join(dir, 'recorded-products.csv')}: data source products (id), 4 row(s)`)
  })

  it('weights each method and path by how often the HAR holds it', async () => {
    const { harPath, written } = await recorded()
    const expected = countedCalls(harPath, catalog?.url ?? '')
    expect(Object.fromEntries(expected)).toEqual({ 'GET /products/{id}': 5, 'GET /search': 3, 'GET /health': 1, 'POST /orders': 1 })
    const weights = new Map([...written.requests, ...written.commentedOut].map((request) => [
      `${request.method ?? 'GET'} ${request.path.split('?')[0]?.replace(/\{\{[^}]*\}\}/g, '{id}') ?? ''}`,
      request.weight
    ]))
    expect(Object.fromEntries(weights)).toEqual(Object.fromEntries(expected))
  })

  it('turns the product ids into a data column of the values seen, and the searches into pick()', async () => {
    const { written } = await recorded()
    const byName = new Map([...written.requests, ...written.commentedOut].map((request) => [request.name, request]))
    expect(byName.get('get-products-id')?.path).toBe('/products/{{ products.id }}')
    expect(byName.get('get-search')?.path).toBe('/search?q={{ pick("shoe", "hat") }}')
    expect(written.data).toEqual({ products: { file: 'recorded-products.csv' } })
    expect(parseCsv(readFileSync(join(dir, 'recorded-products.csv')), { columns: true })).toEqual([{ id: '1' }, { id: '2' }, { id: '3' }, { id: '7' }])
  })

  it('sends every call and shadows the read-only ones; the order is marked as changing data, with its body', async () => {
    const { written } = await recorded()
    expect(written.requests.map((request) => request.name)).toEqual(['get-products-id', 'get-search', 'get-health', 'post-orders'])
    expect(written.shadow).toEqual(['get-products-id', 'get-search', 'get-health'])
    expect(written.commentedOut).toEqual([])
    expect(written.requests.filter((request) => request.method === 'POST').map((request) => [request.name, request.json])).toEqual([['post-orders', { productId: 3, qty: 1 }]])
    expect(written.text).toContain('# CHANGES DATA (POST), never shadowed')
  })

  it('never writes the cookie or the token: env() templates stand in for them', async () => {
    const { run, written } = await recorded()
    const files = readdirSync(dir).filter((entry) => entry.startsWith('recorded'))
    expect(files.sort()).toEqual(['recorded-products.csv', 'recorded.yaml'])
    for (const name of files) {
      const text = readFileSync(join(dir, name), 'utf8')
      expect(text, name).not.toContain(cookieValue)
      expect(text, name).not.toContain(tokenValue)
    }
    for (const request of [...written.requests, ...written.commentedOut]) {
      expect(request.headers?.cookie).toBe('{{ env("CUTOVER_COOKIE") }}')
      expect(request.headers?.authorization).toBe('{{ env("CUTOVER_AUTHORIZATION") }}')
    }
    expect(run.stdout + run.stderr).not.toContain(tokenValue)
    expect(run.stdout + run.stderr).not.toContain(cookieValue)
  })

  it('says what it left out: static assets and the other host', async () => {
    const { harPath, written } = await recorded()
    // counted from the HAR: the image asked for, and anything the browser fetched on its own (a favicon)
    const assets = (JSON.parse(readFileSync(harPath, 'utf8')) as HarFile).log.entries.filter(({ request }) => /\.(?:png|ico)$/.test(new URL(request.url).pathname)).length
    expect(assets).toBeGreaterThanOrEqual(1)
    expect(written.text).toContain(`# Left out: ${assets} static asset${assets === 1 ? '' : 's'} (images, styles, scripts, fonts, media).`)
    expect(written.text).toContain(`# Left out: 1 call to other hosts (http://localhost:${catalog?.port ?? 0} ×1).`)
  })

  it('carries the schema comment on line 1 and passes cutover validate; with --read-only, the order is commented out and valid uncommented', async () => {
    const { file, harPath } = await recorded()
    expect(schemaOfLineOne(file)).toBe(fileURLToPath(new URL('../schema/scenario.schema.json', import.meta.url)))
    const validated = await runCli(['validate', file])
    expect(validated.stderr).toBe('')
    expect(validated.code).toBe(0)
    expect(validated.stdout).toContain('4 request(s)')
    const readOnlyFile = join(dir, 'read-only', 'recorded.yaml')
    const readOnlyRun = await runCli(['init', '--har', harPath, '--read-only', '-o', readOnlyFile])
    expect(readOnlyRun.code).toBe(0)
    const readOnlyWritten = readWritten(readOnlyFile)
    expect(readOnlyWritten.commentedOut.map((request) => [request.name, request.method, request.json])).toEqual([['post-orders', 'POST', { productId: 3, qty: 1 }]])
    const sent = await runCli(['validate', readOnlyFile])
    expect(sent.code).toBe(0)
    expect(sent.stdout).toContain('3 request(s)')
    const all = join(dir, 'read-only', 'all-requests.yaml')
    writeFileSync(all, readOnlyWritten.uncommented)
    const uncommented = await runCli(['validate', all])
    expect(uncommented.stderr).toBe('')
    expect(uncommented.code).toBe(0)
    expect(uncommented.stdout).toContain('4 request(s)')
  })
})
