/**
 * Reports written on a thread of their own. A live proxy refreshes report.html, its charts and summary.md every
 * `proxy.reportEvery`; drawn on the callers' thread that took about 200 ms each time, a pause every caller in it
 * waited through (bench:proxy saw a 210 ms maximum while forwarding). The worker reads the run directory the proxy
 * has just written (result.json, timeline.ndjson) and renders it; the callers' thread only waits for its answer.
 */
import { WorkerRequests } from '../core/module-worker.js'
import { thrownMessage } from '../core/thrown-message.js'

/** Renders a run directory's reports off the calling thread. */
export class ReportThread {
  /** Asked with a run directory, answers with what could not be written. */
  private readonly thread = new WorkerRequests<never, string, string[]>(new URL('./report-worker.js', import.meta.url), 'the report thread')

  /** Renders the reports of `runDir` as it is on disk now; resolves with what could not be written. */
  async render (runDir: string): Promise<string[]> {
    return await this.thread.ask(runDir).catch((error: unknown) => [thrownMessage(error)])
  }

  /** Ends the thread. */
  async close (): Promise<void> {
    await this.thread.close()
  }
}
