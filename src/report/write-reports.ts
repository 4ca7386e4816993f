/** Writes every report of a run: report.html, charts/*.png, summary.md and junit.xml, each reporter on its own. */
import type { RunResult } from '../core/result-types.js'
import { redactDeep, redactScenarioText, redactText } from '../core/redact.js'
import { readRunDir, type RunDirContents } from '../rundir/read-run-dir.js'
import { writeResultFile } from '../rundir/result-file.js'
import type { TimelineLine } from '../rundir/timeline-line.js'
import { readReportTimeline } from '../rundir/timeline-file.js'
import { buildCharts, type ChartSet } from './charts/build-charts.js'
import { targetColors } from './charts/palette.js'
import type { Reporter, ReportInput } from './reporter.js'
import { reporters as registered } from './reporters.js'

/** What the reporters wrote, and which of them failed (the others still wrote their files). */
export interface ReportOutcome {
  /** Absolute paths written. */
  files: string[]
  failures: Array<{ reporter: string, writes: string, message: string }>
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

const messageOf = (error: unknown): string => error instanceof Error ? error.message : String(error)

/**
 * Writes the reports of a run from its contents (in memory after a run, read back by `cutover report`). Every string
 * that came from a service or a scenario is redacted first. A reporter that throws is listed in `failures`; the
 * reporters after it still run (charts that cannot be drawn never take report.html, summary.md or junit.xml along).
 */
export async function renderReports (contents: RunDirContents, reporters: readonly Reporter[] = registered): Promise<ReportOutcome> {
  const result = redactDeep<RunResult>(contents.result, new Set(['histogram', 'hist']))
  const timeline = redactTimeline(contents.timeline)
  const targetNames = Object.keys(result.targets ?? {})
  for (const line of timeline) if (!targetNames.includes(line.target)) targetNames.push(line.target)
  const colors = targetColors(targetNames)
  const failures: ReportOutcome['failures'] = []
  let charts: ChartSet
  try {
    charts = buildCharts(result, timeline, colors)
  } catch (error) {
    failures.push({ reporter: 'charts', writes: 'the charts', message: messageOf(error) })
    charts = { time: [], leak: new Map(), capacity: [] }
  }
  const input: ReportInput = {
    runDir: contents.runDir,
    result,
    timeline,
    skippedTimelineLines: contents.skippedTimelineLines,
    targetNames,
    colors,
    charts,
    pngs: [],
    ...(contents.scenarioText === undefined ? {} : { scenarioText: redactScenarioText(contents.scenarioText) }),
    logFiles: contents.logFiles.map(redactText)
  }
  const files: string[] = []
  for (const reporter of reporters) {
    try {
      const output = await reporter.write(input)
      files.push(...output.files)
      if (output.pngs !== undefined) input.pngs = [...input.pngs, ...output.pngs]
    } catch (error) {
      failures.push({ reporter: reporter.name, writes: reporter.writes, message: messageOf(error) })
      // the reporters after it say what is missing (the PNG charts come first: the page and summary.md name them)
      input.result = { ...input.result, reportWarnings: failures.map(({ writes, message }) => ({ writes, message: redactText(message) })) }
    }
  }
  recordWarnings(contents, failures)
  return { files, failures }
}

/** result.json says which outputs could not be written this time (and no longer lists those written since). */
function recordWarnings (contents: RunDirContents, failures: ReportOutcome['failures']): void {
  const had = contents.result.reportWarnings !== undefined
  if (failures.length === 0 && !had) return
  const { reportWarnings: _earlier, ...result } = contents.result
  const warnings = failures.map(({ writes, message }) => ({ writes, message }))
  try {
    contents.result = writeResultFile(contents.runDir, warnings.length === 0 ? result : { ...result, reportWarnings: warnings })
  } catch {
    // result.json itself cannot be written: the failures are still printed, and the exit code says so
  }
}

/**
 * Reads a run directory (a last timeline line cut short is skipped) and writes its reports. A proxy's timeline is
 * drawn with a bounded number of points per target, as when it stopped (readReportTimeline).
 */
export async function writeReports (runDir: string): Promise<ReportOutcome> {
  const contents = readRunDir(runDir, { timeline: false })
  const { lines, skipped } = readReportTimeline(contents.runDir, contents.result.command)
  return await renderReports({ ...contents, timeline: lines, skippedTimelineLines: skipped })
}
