/**
 * What report-worker.ts runs once its priority is lowered: it reads the run directory and renders it, without the PNG
 * charts: report.html draws its own charts and summary.md has Mermaid ones, and drawing PNGs every refresh cost the
 * proxy about 80 MB of memory (bench:proxy, 2 minutes in mirror mode: peak RSS 360 MB with them, 281 MB without,
 * 248 MB with no refresh). The final reports, written when the proxy stops, have them.
 */
import { answerRequests } from '../core/module-worker.js'
import { renderReports } from '../report/write-reports.js'
import { reporters } from '../report/reporters.js'
import { readRunDir } from '../rundir/read-run-dir.js'

/** The reporters of a live refresh: every one but the PNG charts. */
const liveReporters = reporters.filter((reporter) => reporter.name !== 'png')

answerRequests<never, string, string[]>(async (runDir) => {
  const { failures } = await renderReports(readRunDir(runDir), liveReporters)
  return failures.map((failure) => `${failure.writes}: ${failure.message}`)
})
