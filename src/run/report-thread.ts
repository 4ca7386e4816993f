/**
 * Reports written on a thread of their own. A live proxy refreshes report.html, its charts and summary.md every
 * `proxy.reportEvery`; drawn on the callers' thread that took about 200 ms each time, a pause every caller in it
 * waited through (bench:proxy saw a 210 ms maximum while forwarding). The worker reads the run directory the proxy
 * has just written (result.json, timeline.ndjson) and renders it; the callers' thread only waits for its answer.
 *
 * Each refresh has a thread of its own, ended when it has answered: a thread kept between refreshes held a heap that
 * an idle thread seldom collects, and it grew with the timeline it re-read (bench:proxy, mirror mode: from 9 to
 * 18 MB in 4 minutes), which the proxy's own leak check read as memory growing outside its heap.
 */
import { WorkerRequests } from '../core/module-worker.js'
import { thrownMessage } from '../core/thrown-message.js'

/** Renders a run directory's reports off the calling thread. */
export class ReportThread {
  /** The thread rendering now, if any. */
  private current: WorkerRequests<never, string, string[]> | undefined
  private closed = false

  /** Renders the reports of `runDir` as it is on disk now; resolves with what could not be written. */
  async render (runDir: string): Promise<string[]> {
    if (this.closed) return ['the report thread was stopped']
    const thread = new WorkerRequests<never, string, string[]>(new URL('./report-worker.js', import.meta.url), 'the report thread')
    this.current = thread
    try {
      return await thread.ask(runDir)
    } catch (error) {
      return [thrownMessage(error)]
    } finally {
      this.current = undefined
      await thread.close()
    }
  }

  /** Ends a refresh still rendering; no refresh starts after. */
  async close (): Promise<void> {
    this.closed = true
    await this.current?.close()
  }
}
