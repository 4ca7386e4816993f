// A report built from hostile input runs none of it: checked in Chromium with the page's CSP and with CSP bypassed (escaping alone).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunResult } from '../src/core/result-types.js'
import { writeReports } from '../src/report/write-reports.js'
import { hostileTargets, writeHostileRunDir, xssPayloads } from './fixtures/report/hostile-run.js'
import { BrowserSession, pageOnce } from './support/browser.js'

let dir: string
let result: RunResult
const session = new BrowserSession()

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cutover-report-xss-'))
  result = writeHostileRunDir(dir)
  await writeReports(dir)
  await session.start()
}, 60_000)

afterAll(async () => {
  await session.close()
  rmSync(dir, { recursive: true, force: true })
})

const pwned = async (page: Page): Promise<unknown> => page.evaluate('window.__pwned')
const normalize = (text: string): string => text.replace(/\s+/g, ' ').trim()

/** Scrolls to the end, hovers and clicks everything that does not navigate away, tabs through focusable elements. */
async function exercise (page: Page): Promise<void> {
  await page.evaluate('window.scrollTo(0, document.body.scrollHeight)')
  await page.evaluate(`(() => {
    for (const node of document.querySelectorAll('body *')) {
      if (node.closest('a[href]') && !node.closest('a[href]').getAttribute('href').startsWith('#')) continue;
      for (const type of ['mouseover', 'mouseenter', 'focus', 'click', 'dblclick', 'toggle']) node.dispatchEvent(new Event(type, { bubbles: true }));
    }
  })()`)
  for (const selector of ['section.card h2', 'td', 'canvas', 'pre', 'nav.toc a']) {
    const handles = await page.$$(selector)
    for (const handle of handles.slice(0, 25)) await handle.click({ timeout: 2000, force: true }).catch(() => {})
  }
  for (let i = 0; i < 30; i++) await page.keyboard.press('Tab')
  await page.mouse.move(400, 400)
  await page.waitForTimeout(300)
}

for (const mode of ['with the page CSP', 'with CSP bypassed (escaping alone)'] as const) {
  describe(`a report from hostile input, ${mode}`, () => {
    const report = pageOnce(session, () => join(dir, 'report.html'), { bypassCSP: mode !== 'with the page CSP' })

    it('runs no payload on load, after scrolling, clicking, hovering and tabbing', async () => {
      const { page, watch } = await report()
      expect(await pwned(page)).toBeUndefined()
      await exercise(page)
      expect(await pwned(page)).toBeUndefined()
      expect(page.url()).toMatch(/^file:.*report\.html(#.*)?$/)
      expect(watch.pageErrors).toEqual([])
      expect(watch.consoleErrors).toEqual([])
      expect(watch.requests).toEqual([])
    })

    it('adds no element a payload names: only its own three scripts, no img, svg, iframe, object, form', async () => {
      const { page } = await report()
      const counts = await page.evaluate<Record<string, number>>(`(() => {
        const count = (selector) => document.querySelectorAll(selector).length;
        return { script: count('script'), img: count('img'), svg: count('svg'), iframe: count('iframe'), object: count('object'), form: count('form'), input: count('input'), video: count('video'), details: count('details'), base: count('base'), style: count('style'), marquee: count('marquee'), math: count('math') };
      })()`)
      expect(counts).toEqual({ script: 3, img: 0, svg: 0, iframe: 0, object: 0, form: 0, input: 0, video: 0, details: 0, base: 0, style: 1, marquee: 0, math: 0 })
      const hrefs = await page.evaluate<string[]>('[...document.querySelectorAll("[href]")].map((e) => e.getAttribute("href"))')
      for (const href of hrefs) expect(href).not.toMatch(/^\s*javascript:/i)
      const eventAttributes = await page.evaluate<number>('[...document.querySelectorAll("body *")].filter((e) => [...e.attributes].some((a) => a.name.startsWith("on"))).length')
      expect(eventAttributes).toBe(0)
    })

    it('shows every payload as text', async () => {
      const { page } = await report()
      const text = normalize(await page.evaluate<string>('document.body.innerText'))
      for (const payload of xssPayloads) expect(text, payload).toContain(normalize(payload))
      for (const target of hostileTargets) expect(text).toContain(target)
      expect(text).toContain(normalize(result.checks.at(-1)?.message ?? '—'))
    })
  })
}

describe('hostile input in summary.md and junit.xml', () => {
  it('summary.md carries no markup from the input', () => {
    const markdown = readFileSync(join(dir, 'summary.md'), 'utf8')
    const tags = markdown.match(/<\/?[a-z][^>]*>/gi) ?? []
    expect(tags.filter((tag) => !/^<\/?sub>$/.test(tag))).toEqual([])
    expect(markdown).not.toMatch(/javascript:[^`]*\]\(/i)
    expect(markdown.split('\n')[0]).toMatch(/^## ❌ FAIL — /)
  })

  it('junit.xml parses and carries the hostile check ids and messages verbatim', async () => {
    const page = await session.get().newPage()
    const xml = readFileSync(join(dir, 'junit.xml'), 'utf8')
    const parsed = await page.evaluate<{ errors: number, names: string[], messages: string[] }>(`((text) => {
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      return {
        errors: doc.getElementsByTagName('parsererror').length,
        names: [...doc.getElementsByTagName('testcase')].map((c) => c.getAttribute('name')),
        messages: [...doc.getElementsByTagName('failure')].map((f) => f.getAttribute('message'))
      };
    })(${JSON.stringify(xml)})`)
    await page.close()
    expect(parsed.errors).toBe(0)
    expect(parsed.names).toHaveLength(result.checks.length + result.failures.length)
    for (const check of result.checks) expect(parsed.names).toContain(check.id)
    expect(parsed.messages).toContain(xssPayloads[0])
  })
})
