// How comparisons read, in report.html (Chromium) and in summary.md: every effect on the scale it was judged on and in
// its own unit, no interval where there is none, one line that says what would settle an inconclusive metric.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ComparisonMetric } from '../src/core/result-types.js'
import { ruleText } from '../src/report/html/sections/comparison.js'
import { renderReports } from '../src/report/write-reports.js'
import { readRunDir } from '../src/rundir/read-run-dir.js'
import { BrowserSession, openFile } from './support/browser.js'
import { syntheticRun, writeRunDir } from './fixtures/report/synthetic-run.js'

const perMin = (mbPerMin: number): number => mbPerMin * 1e6 / 60

const metrics: ComparisonMetric[] = [
  { name: 'p99', unit: 'ms', old: 3.2, new: 3.5, ratio: 1.094, ci: [0.97, 1.23], method: 'paired by round', verdict: 'inconclusive', message: 'p99: new 3.50 ms vs old 3.20 ms, a long explanation of the interval', scale: 'ratio', limit: 1.1, pairs: 8, settle: 'about 6 more rounds (30 s) would settle it' },
  { name: 'errorRate', unit: 'fraction', old: 0.004, new: 0.011, ratio: 2.75, ci: [1.82, 3.79], method: 'exact conditional binomial test', verdict: 'fail', message: 'errorRate: new fails more often', scale: 'ratio', limit: 2.5 },
  { name: 'rssPeak', unit: 'bytes', old: 80e6, new: 82.6e6, ratio: 1.033, ci: [NaN, NaN], method: 'peak of one run', verdict: 'pass', message: 'rssPeak: new 82.6 MB vs old 80.0 MB', scale: 'ratio', limit: 1.1 },
  { name: 'memoryGrowth', unit: 'bytes/s', old: perMin(0.14), new: perMin(1.26), ratio: perMin(1.12), ci: [perMin(1.01), perMin(1.23)], method: 'difference of Theil–Sen slopes', verdict: 'fail', message: 'memoryGrowth: new grows faster', scale: 'difference', limit: perMin(0.5) }
]

let dir = ''
const browser = new BrowserSession()

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cutover-display-'))
  const { result, timeline } = syntheticRun({ seconds: 60, analyses: true })
  result.comparison = { schedule: 'interleaved', old: 'old', new: 'new', metrics }
  // a result of an earlier cutover: no scale, and a ratio over a baseline without errors (∞, null in the file)
  result.baseline = { file: 'baselines/x.json', metrics: [{ name: 'errorRate', unit: 'fraction', baseline: 0, current: 0.005, ratio: Infinity, verdict: 'fail', message: 'errorRate: current fails, the baseline did not' }] }
  writeRunDir(dir, result, timeline)
  const outcome = await renderReports(readRunDir(dir))
  expect(outcome.failures).toEqual([])
  await browser.start()
})
afterAll(async () => {
  await browser.close()
  rmSync(dir, { recursive: true, force: true })
})

/** The comparison table's rows as `metric → { column → text }`. */
function markdownRows (markdown: string, heading: string): Map<string, Record<string, string>> {
  const section = markdown.split(`### ${heading}`)[1]?.split('\n### ')[0] ?? ''
  const rows = section.trim().split('\n').filter((line) => line.startsWith('|'))
  const cells = (line: string): string[] => line.slice(1, -1).split(' | ').map((cell) => cell.trim().replace(/\\/g, ''))
  const head = cells(rows[0] ?? '')
  return new Map(rows.slice(2).map((line) => {
    const values = cells(line)
    return [values[0]?.replace(/`/g, '') ?? '', Object.fromEntries(head.map((label, i) => [label, values[i] ?? '']))]
  }))
}

describe('comparison display', () => {
  it('summary.md: differences in their unit, ratios as percents, no interval for a peak, one line to settle an inconclusive metric', () => {
    const markdown = readFileSync(join(dir, 'summary.md'), 'utf8')
    const rows = markdownRows(markdown, 'Old vs new')
    expect(rows.get('memoryGrowth')).toMatchObject({ change: '+1.12 MB/min', '95% confidence interval': '+1.01 MB/min to +1.23 MB/min', tolerance: '+0.50 MB/min' })
    expect(rows.get('errorRate')).toMatchObject({ change: '+175.0%', '95% confidence interval': '+82.0% to +279.0%', tolerance: '+150.0%' })
    expect(rows.get('rssPeak')).toMatchObject({ change: '+3.3%', '95% confidence interval': '–' })
    expect(rows.get('p99')).toMatchObject({ 'to settle': 'about 6 more rounds (30 s) would settle it' })
    // no growth shown as a ratio of slopes (+1864998.1%), no ratio over a zero baseline (+∞%)
    expect(markdown).not.toMatch(/\+\d{5,}\.\d%/)
    expect(markdown).not.toContain('∞')
    const baseline = markdownRows(markdown, 'Against the baseline')
    expect(baseline.get('errorRate')?.change).toBe('+0.500pp')
  })

  it('report.html in Chromium shows the same, and says the rule the verdicts follow', async () => {
    const { page, watch } = await openFile(browser.get(), join(dir, 'report.html'))
    const table = await page.evaluate<Array<Record<string, string>>>(`(() => {
      const section = document.querySelector('section[data-section="comparison"]')
      const heads = [...section.querySelectorAll('thead th')].map((th) => th.textContent.trim())
      return [...section.querySelectorAll('tbody tr:not(.detail)')].map((tr) => Object.fromEntries([...tr.children].map((td, i) => [heads[i], td.innerText.trim()])))
    })()`)
    const row = (name: string): Record<string, string> | undefined => table.find((r) => r.metric === name)
    expect(row('memoryGrowth')).toMatchObject({ change: '+1.12 MB/min', tolerance: '+0.50 MB/min' })
    expect(row('memoryGrowth')?.['95% confidence interval']).toContain('+1.01 MB/min to +1.23 MB/min')
    expect(row('errorRate')).toMatchObject({ change: '+175.0%', tolerance: '+150.0%' })
    expect(row('rssPeak')?.['95% confidence interval']).toBe('–')
    expect(row('p99')?.['to settle']).toBe('about 6 more rounds (30 s) would settle it')
    const text = await page.evaluate<string>('document.querySelector(\'section[data-section="comparison"]\').innerText')
    expect(text).toContain(ruleText)
    expect(text).not.toMatch(/whole confidence interval is past/)
    const baselineChange = await page.evaluate<string>(`[...document.querySelectorAll('section[data-section="baseline"] tbody tr:not(.detail)')][0].children[3].innerText`)
    expect(baselineChange.trim()).toBe('+0.500pp')
    expect(watch.pageErrors).toEqual([])
  })
})
