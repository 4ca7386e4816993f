/** Writes history.html and history.md for the runs of a scenario found in run folders and baseline files. */

import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { buildHistory, type History } from '../../analysis/history/history-series.js'
import { readHistorySources, type HistorySourceOptions, type HistorySources } from '../../baseline/history-sources.js'
import { CutoverError } from '../../core/errors.js'
import { writeTextAtomic } from '../../rundir/atomic-write.js'
import { targetColors } from '../charts/palette.js'
import { renderHtml } from '../html/render-html.js'
import { historyCharts } from './history-charts.js'
import { renderHistoryMarkdown } from './history-markdown.js'
import { buildHistoryModel } from './history-model.js'

/** The file names of a history. */
export const historyFiles = { html: 'history.html', markdown: 'history.md' } as const

/** What was written, and the history it shows. */
export interface WrittenHistory {
  history: History
  sources: HistorySources
  /** Absolute paths of history.html and history.md. */
  files: string[]
  /** The page's verdict line: `REGRESSED: new p99 latency +48.0% …`. */
  headline: string
  verdict: 'pass' | 'fail' | 'inconclusive'
}

/** Reads the runs in `paths`, finds the steps, and writes history.html and history.md into `outDir`. */
export function writeHistory (paths: readonly string[], outDir: string, options: HistorySourceOptions = {}): WrittenHistory {
  const sources = readHistorySources(paths, options)
  const history = buildHistory(sources.scenario, sources.runs)
  const colors = targetColors(history.targets)
  const charts = historyCharts(history, colors)
  const model = buildHistoryModel(history, sources, charts, colors)
  const dir = resolve(outDir)
  const html = join(dir, historyFiles.html)
  const markdown = join(dir, historyFiles.markdown)
  try {
    mkdirSync(dir, { recursive: true })
    writeTextAtomic(html, renderHtml(model))
    writeTextAtomic(markdown, renderHistoryMarkdown(model, charts))
  } catch (error) {
    throw new CutoverError('RUN_DIR_WRITE', `cannot write the history into ${dir}: ${error instanceof Error ? error.message : String(error)}`, { hint: 'pass a writable folder with --out' })
  }
  return { history, sources, files: [html, markdown], headline: `${model.verdictText}: ${model.headline}`, verdict: model.verdict }
}
