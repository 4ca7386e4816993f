import { existsSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'

/** The system Chromium; tests fail (not skip) when it is missing, and never download one. */
export const chromiumPath = process.env.CUTOVER_CHROMIUM ?? '/usr/bin/chromium'

/** Launches headless Chromium offline-friendly; throws with a clear message when the binary is absent. */
export async function launchBrowser (): Promise<Browser> {
  if (!existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath}: install the Debian "chromium" package (or set CUTOVER_CHROMIUM); browser tests do not download one`)
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
  })
}

/** What happened while a page loaded: console errors, page errors, requests other than the page itself, failed requests. */
export interface PageWatch {
  consoleErrors: string[]
  pageErrors: string[]
  requests: string[]
  failedRequests: string[]
}

/** Opens a file in a new page and records console errors and network activity. */
export async function openFile (browser: Browser, path: string, options: { bypassCSP?: boolean, viewport?: { width: number, height: number } } = {}): Promise<{ page: Page, watch: PageWatch, url: string }> {
  const context = await browser.newContext({ bypassCSP: options.bypassCSP === true, viewport: options.viewport ?? { width: 1280, height: 900 } })
  const page = await context.newPage()
  const url = pathToFileURL(path).href
  const watch: PageWatch = { consoleErrors: [], pageErrors: [], requests: [], failedRequests: [] }
  page.on('console', (message) => { if (message.type() === 'error') watch.consoleErrors.push(message.text()) })
  page.on('pageerror', (error) => { watch.pageErrors.push(error.message) })
  page.on('request', (request) => { if (request.url() !== url) watch.requests.push(request.url()) })
  page.on('requestfailed', (request) => { watch.failedRequests.push(`${request.url()}: ${request.failure()?.errorText ?? ''}`) })
  await page.goto(url, { waitUntil: 'load' })
  return { page, watch, url }
}

/** Waits until the report says all charts have drawn (window.__chartsDrawn set). */
export async function waitForCharts (page: Page, timeoutMs = 15_000): Promise<number> {
  await page.waitForFunction('typeof window.__chartsDrawn === "number"', undefined, { timeout: timeoutMs })
  return page.evaluate<number>('window.__chartsDrawn')
}

/**
 * A browser shared by a test file. A launch failure is kept and thrown by every
 * test that needs the browser, so those tests fail one by one instead of being
 * reported as skipped after a failed beforeAll.
 */
export class BrowserSession {
  private browser: Browser | undefined
  private error: unknown

  /** Launches Chromium; never throws. */
  async start (): Promise<void> {
    try {
      this.browser = await launchBrowser()
    } catch (error) {
      this.error = error
    }
  }

  /** The browser, or the launch error. */
  get (): Browser {
    if (this.browser === undefined) throw this.error instanceof Error ? this.error : new Error('the browser was not started')
    return this.browser
  }

  async close (): Promise<void> {
    await this.browser?.close()
  }
}

/** Opens a file once, on first use, and hands the same page to every later caller. */
export function pageOnce (session: BrowserSession, path: () => string, options: { bypassCSP?: boolean } = {}): () => Promise<{ page: Page, watch: PageWatch }> {
  let opened: Promise<{ page: Page, watch: PageWatch }> | undefined
  return async () => {
    opened ??= (async () => {
      const { page, watch } = await openFile(session.get(), path(), options)
      await waitForCharts(page)
      return { page, watch }
    })()
    return opened
  }
}
