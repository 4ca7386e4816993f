/** Writes every report of a run directory: report.html, charts/*.png, summary.md and junit.xml. */
import { renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { RunResult } from '../core/result-types.js'
import { allCharts, buildCharts } from './charts/build-charts.js'
import { targetColors } from './charts/palette.js'
import { renderPngs } from './charts/render-png.js'
import { buildReportModel } from './html/build-model.js'
import { renderHtml } from './html/render-html.js'
import { renderJunit } from './junit.js'
import { renderMarkdown } from './markdown.js'
import { readRunDir } from './read-run-dir.js'
import { redactDeep, redactScenarioText, redactText } from './redact.js'
import type { TimelineLine } from './timeline.js'

function writeAtomic (path: string, text: string): void {
  const temporary = `${path}.tmp-${process.pid}`
  writeFileSync(temporary, text)
  renameSync(temporary, path)
}

function redactTimeline (lines: readonly TimelineLine[]): TimelineLine[] {
  return lines.map((line) => ({
    ...line,
    target: redactText(String(line.target)),
    phase: redactText(String(line.phase ?? '')),
    byError: Object.keys(line.byError ?? {}).length === 0 ? {} : redactDeep(line.byError),
    hist: ''
  }))
}

/**
 * Reads result.json and timeline.ndjson (a last line cut short is skipped),
 * plus scenario.yaml and logs/ when present, and writes the reports. Every
 * string that came from a service or a scenario is redacted first. Returns the
 * absolute paths written.
 */
export async function writeReports (runDir: string): Promise<{ files: string[] }> {
  const contents = readRunDir(runDir)
  const result = redactDeep<RunResult>(contents.result, new Set(['histogram', 'hist']))
  const timeline = redactTimeline(contents.timeline)
  const targetNames = Object.keys(result.targets ?? {})
  for (const line of timeline) if (!targetNames.includes(line.target)) targetNames.push(line.target)
  const colors = targetColors(targetNames)
  const charts = buildCharts(result, timeline, colors)
  const pngs = renderPngs(allCharts(charts), join(runDir, 'charts'))
  const pngPaths = new Map(pngs.map((png) => [png.id, `charts/${png.file}`]))
  const model = buildReportModel({
    result,
    timeline,
    skippedTimelineLines: contents.skippedTimelineLines,
    targetNames,
    colors,
    charts,
    pngs: pngPaths,
    ...(contents.scenarioText === undefined ? {} : { scenarioText: redactScenarioText(contents.scenarioText) }),
    logFiles: contents.logFiles.map(redactText)
  })
  const files: string[] = []
  const write = (name: string, text: string): void => {
    const path = join(runDir, name)
    writeAtomic(path, text)
    files.push(path)
  }
  write('report.html', renderHtml(model))
  files.push(...pngs.map((png) => join(runDir, 'charts', png.file)))
  write('summary.md', renderMarkdown(model, pngs.map((png) => ({ title: png.title, path: `charts/${png.file}` }))))
  write('junit.xml', renderJunit(result))
  return { files }
}
