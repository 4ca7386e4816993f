// The reports of a real run: cutover drives two loopback servers, then writeReports renders; Chromium checks the page offline.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCanvas, loadImage } from '@napi-rs/canvas'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunResult } from '../src/core/result-types.js'
import { writeReports } from '../src/report/write-reports.js'
import { silentProgress } from '../src/run/progress.js'
import { runScenario } from '../src/run/run-scenario.js'
import { parseScenario } from '../src/scenario/load.js'
import { BrowserSession, pageOnce } from './support/browser.js'
import { startServer, type TestServer } from './support/servers.js'

let dir: string
let runDir: string
let old: TestServer
let next: TestServer
let result: RunResult
let files: string[]
const session = new BrowserSession()
const report = pageOnce(session, () => join(runDir, 'report.html'))

const scenarioText = (oldUrl: string, newUrl: string): string => `
name: report-e2e
description: two loopback servers, the new one failing one request in eight
targets:
  old: { url: "${oldUrl}/?api_key=XYZ", monitor: { pid: ${process.pid} } }
  new:
    url: "${newUrl}"
    monitor: { pid: ${process.pid} }
    headers: { Authorization: "Bearer s3cr3t-token" }
requests: [{ name: item, path: "/items?q=1" }]
phases:
  - { name: warmup, duration: 1s, rate: 40 }
  - { name: steady, duration: 1500ms, rate: 80 }
sampling: { interval: 250ms }
checks: { slo: { p99: 250ms, errorRate: 5% } }
`

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cutover-report-run-'))
  let n = 0
  old = await startServer((_req, res) => { res.setHeader('content-type', 'application/json'); res.end('{"id":1,"price":10}') }, { keepBodies: false })
  next = await startServer((_req, res) => {
    n++
    res.statusCode = n % 8 === 0 ? 500 : 200
    res.end('{"id":1,"price":10}')
  }, { keepBodies: false })
  const text = scenarioText(old.url, next.url)
  const scenario = parseScenario(text, join(dir, 'report-e2e.yaml'))
  const outcome = await runScenario(scenario, { out: join(dir, 'run'), sliceMs: 500, progress: silentProgress, signal: new AbortController().signal, env: {}, seed: 3 })
  result = outcome.result
  runDir = outcome.runDir
  // the run command writes a copy of the scenario; an unredacted one proves the reports redact it themselves
  writeFileSync(join(runDir, 'scenario.yaml'), text)
  files = (await writeReports(runDir)).files
  await session.start()
}, 60_000)

afterAll(async () => {
  await session.close()
  await old?.close()
  await next?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('reports of a real two-target run', () => {
  it('writes report.html, the PNG charts, summary.md and junit.xml', () => {
    expect(result.verdict).toBe('fail')
    for (const name of ['report.html', 'summary.md', 'junit.xml', 'charts/throughput.png', 'charts/latency.png', 'charts/errors.png', 'charts/memory.png', 'charts/cpu.png']) {
      expect(files).toContain(join(runDir, name))
      expect(existsSync(join(runDir, name))).toBe(true)
    }
  })

  it('opens from file:// with no console errors, no page errors and no network requests', async () => {
    const { watch } = await report()
    expect(watch.consoleErrors).toEqual([])
    expect(watch.pageErrors).toEqual([])
    expect(watch.requests).toEqual([])
    expect(watch.failedRequests).toEqual([])
  })

  it('shows the verdict first, in view, naming the verdict of result.json', async () => {
    const { page } = await report()
    const verdict = await page.evaluate<{ text: string, top: number, bottom: number, viewport: number, beforeEverySection: boolean }>(`(() => {
      const banner = document.querySelector('.verdict');
      const box = banner.getBoundingClientRect();
      const sections = [...document.querySelectorAll('section.card')];
      return {
        text: banner.innerText,
        top: box.top, bottom: box.bottom, viewport: window.innerHeight,
        beforeEverySection: sections.length > 0 && sections.every((s) => banner.compareDocumentPosition(s) & Node.DOCUMENT_POSITION_FOLLOWING)
      };
    })()`)
    expect(verdict.text).toContain('FAIL')
    expect(verdict.text).toContain('slo.errorRate')
    expect(verdict.top).toBeGreaterThanOrEqual(0)
    expect(verdict.bottom).toBeLessThan(verdict.viewport)
    expect(verdict.beforeEverySection).toBe(true)
    const firstSection = await page.evaluate<string>('document.querySelector("section.card h2").textContent')
    expect(firstSection).toBe('Checks')
    const firstCheck = await page.evaluate<string>('document.querySelector("section.card tbody tr td").innerText')
    expect(firstCheck.toLowerCase()).toBe('fail')
  })

  it('draws every chart canvas (pixels other than the background)', async () => {
    const { page } = await report()
    const canvases = await page.evaluate<Array<{ id: string, width: number, height: number, painted: number }>>(`(() => [...document.querySelectorAll('canvas')].map((canvas) => {
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) painted++;
      return { id: canvas.dataset.chart, width: canvas.width, height: canvas.height, painted };
    }))()`)
    expect(canvases.map((c) => c.id)).toEqual(expect.arrayContaining(['throughput', 'latency', 'errors', 'memory', 'cpu']))
    for (const canvas of canvases) {
      expect(canvas.width, canvas.id).toBeGreaterThan(100)
      expect(canvas.painted, canvas.id).toBeGreaterThan(canvas.width * canvas.height * 0.01)
    }
  })

  it('writes PNGs that decode, have the expected size and are not blank', async () => {
    for (const name of ['throughput', 'latency', 'errors', 'memory', 'cpu']) {
      const bytes = readFileSync(join(runDir, 'charts', `${name}.png`))
      expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
      expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR')
      const width = bytes.readUInt32BE(16)
      const height = bytes.readUInt32BE(20)
      expect([width, height]).toEqual([1800, 720])
      const image = await loadImage(bytes)
      const canvas = createCanvas(width, height)
      const context = canvas.getContext('2d')
      context.drawImage(image, 0, 0)
      const { data } = context.getImageData(0, 0, width, height)
      let white = 0
      let other = 0
      for (let i = 0; i < data.length; i += 4) {
        if (data[i] === 255 && data[i + 1] === 255 && data[i + 2] === 255) white++
        else other++
      }
      // the background is white (phase bands tint the plot area, so the corners and margins are what stay white)
      for (const [x, y] of [[0, 0], [width - 1, 0], [0, height - 1], [width - 1, height - 1]]) {
        const at = ((y ?? 0) * width + (x ?? 0)) * 4
        expect([data[at], data[at + 1], data[at + 2], data[at + 3]], `${name}: corner ${x},${y}`).toEqual([255, 255, 255, 255])
      }
      expect(white, `${name}: white margins`).toBeGreaterThan(width * height * 0.15)
      expect(other, `${name}: something drawn`).toBeGreaterThan(width * height * 0.01)
    }
  })

  it('writes junit.xml that parses, with one test case per check', async () => {
    const { page } = await report()
    const xml = readFileSync(join(runDir, 'junit.xml'), 'utf8')
    const parsed = await page.evaluate<{ errors: number, cases: Array<{ classname: string, name: string, failure: boolean, skipped: boolean }>, tests: string }>(`((text) => {
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      return {
        errors: doc.getElementsByTagName('parsererror').length,
        tests: doc.documentElement.getAttribute('tests'),
        cases: [...doc.getElementsByTagName('testcase')].map((c) => ({ classname: c.getAttribute('classname'), name: c.getAttribute('name'), failure: c.getElementsByTagName('failure').length > 0, skipped: c.getElementsByTagName('skipped').length > 0 }))
      };
    })(${JSON.stringify(xml)})`)
    expect(parsed.errors).toBe(0)
    expect(parsed.cases).toHaveLength(result.checks.length)
    expect(parsed.tests).toBe(String(result.checks.length))
    for (const check of result.checks) {
      const testCase = parsed.cases.find((c) => c.name === check.id && c.classname === `cutover.${check.target ?? 'run'}`)
      expect(testCase, check.id).toBeDefined()
      expect(testCase?.failure).toBe(check.status === 'fail')
      expect(testCase?.skipped).toBe(check.status === 'inconclusive')
    }
  })

  it('writes summary.md with the verdict first and the PNG charts by relative path', () => {
    const markdown = readFileSync(join(runDir, 'summary.md'), 'utf8')
    expect(markdown.split('\n')[0]).toBe("## ❌ FAIL — report-e2e")
    expect(markdown).toContain('### Checks')
    expect(markdown).toContain('](charts/latency.png)')
    expect(markdown).toContain('](charts/throughput.png)')
    expect(markdown.indexOf('FAIL')).toBeLessThan(markdown.indexOf('PASS'))
  })

  it('keeps the credentials of the scenario and the target URL out of every output', () => {
    for (const name of ['report.html', 'summary.md', 'junit.xml']) {
      const text = readFileSync(join(runDir, name), 'utf8')
      expect(text, name).not.toContain('s3cr3t-token')
      expect(text, name).not.toContain('api_key=XYZ')
    }
    expect(readFileSync(join(runDir, 'report.html'), 'utf8')).toContain('api_key=[REDACTED]')
  })
})
