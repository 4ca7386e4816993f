/** The thread that writes a live proxy's refreshed reports (see report-thread.ts): it reads the run directory and renders it. */
import { answerRequests } from '../core/module-worker.js'
import { renderReports } from '../report/write-reports.js'
import { readRunDir } from '../rundir/read-run-dir.js'

answerRequests<never, string, string[]>(async (runDir) => {
  const { failures } = await renderReports(readRunDir(runDir))
  return failures.map((failure) => `${failure.writes}: ${failure.message}`)
})
