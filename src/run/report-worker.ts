/** The thread that writes a live proxy's refreshed reports (see report-thread.ts): it reads the run directory and renders it. */
import { parentPort } from 'node:worker_threads'
import { thrownMessage } from '../core/thrown-message.js'
import { renderReports } from '../report/write-reports.js'
import { readRunDir } from '../rundir/read-run-dir.js'
import type { FromReportThread, ToReportThread } from './report-thread.js'

const port = parentPort
if (port === null) throw new Error('report-worker runs as a worker thread')

port.on('message', (message: ToReportThread) => {
  void (async () => {
    let reply: FromReportThread
    try {
      const { failures } = await renderReports(readRunDir(message.runDir))
      reply = { id: message.id, failures: failures.map((failure) => `${failure.writes}: ${failure.message}`) }
    } catch (error) {
      reply = { id: message.id, failures: [thrownMessage(error)] }
    }
    port.postMessage(reply)
  })()
})
