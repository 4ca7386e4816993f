// The report of a long run stays light: a one-hour, two-target run at 1 s intervals, its report.html size and the time
// Chromium takes to draw every chart (window.__chartsDrawn, ms since navigation start; median of three loads).
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { writeReports } from '../src/report/write-reports.js'
import { writeSyntheticRunDir } from '../test/fixtures/report/synthetic-run.js'
import { launchBrowser, openFile, waitForCharts } from '../test/support/browser.js'
import type { BenchFigure } from './generator.js'

/** What one measurement found. */
export interface ReportMeasurement {
  /** Size of report.html in bytes (goal: under 3 MB). */
  htmlBytes: number
  /** Median time from navigation start until every chart had drawn once, in ms (goal: under 2,000). */
  chartsDrawnMs: number
  /** Each load's time, in ms. */
  drawSamplesMs: number[]
  /** Charts on the page. */
  charts: number
  /** Time writeReports took (HTML, PNGs, Markdown, JUnit), in ms. */
  writeMs: number
  /** Size of the synthetic timeline.ndjson the report was drawn from, in bytes. */
  timelineBytes: number
  timelineLines: number
}

/** Synthesises a one-hour, two-target, 1 s-interval run directory, writes its reports and measures report.html in Chromium. */
export async function measureReport (options: { seconds?: number, loads?: number } = {}): Promise<ReportMeasurement> {
  const seconds = options.seconds ?? 3600
  const dir = mkdtempSync(join(tmpdir(), 'cutover-report-bench-'))
  try {
    const { timeline } = writeSyntheticRunDir(dir, { seconds, intervalMs: 1000, targets: ['old', 'new'], schedule: 'concurrent', analyses: true })
    const started = performance.now()
    await writeReports(dir)
    const writeMs = performance.now() - started
    const browser = await launchBrowser()
    const drawSamplesMs: number[] = []
    let charts = 0
    try {
      for (let load = 0; load < (options.loads ?? 3); load++) {
        const { page } = await openFile(browser, join(dir, 'report.html'))
        drawSamplesMs.push(await waitForCharts(page, 30_000))
        charts = await page.evaluate<number>('document.querySelectorAll("canvas").length')
        await page.context().close()
      }
    } finally {
      await browser.close()
    }
    const sorted = [...drawSamplesMs].sort((a, b) => a - b)
    return {
      htmlBytes: statSync(join(dir, 'report.html')).size,
      chartsDrawnMs: sorted[Math.floor(sorted.length / 2)] ?? NaN,
      drawSamplesMs,
      charts,
      writeMs,
      timelineBytes: statSync(join(dir, 'timeline.ndjson')).size,
      timelineLines: timeline.length
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The two figures in the form `npm run bench` prints. */
export async function reportFigures (): Promise<BenchFigure[]> {
  const m = await measureReport()
  const detail = `${m.timelineLines} timeline lines (${(m.timelineBytes / 1e6).toFixed(1)} MB), ${m.charts} charts, reports written in ${Math.round(m.writeMs)} ms`
  return [
    { name: 'report.html size, one-hour two-target run at 1 s', value: m.htmlBytes / 1e6, unit: 'MB', goal: '< 3', met: m.htmlBytes < 3e6, detail },
    { name: 'report.html: all charts drawn in Chromium (median of 3)', value: m.chartsDrawnMs, unit: 'ms', goal: '< 2000', met: m.chartsDrawnMs < 2000, detail: `loads: ${m.drawSamplesMs.map((ms) => Math.round(ms)).join(', ')} ms` }
  ]
}
