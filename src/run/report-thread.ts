/**
 * Reports written on a thread of their own. A live proxy refreshes report.html, its charts and summary.md every
 * `proxy.reportEvery`; drawn on the callers' thread that took about 200 ms each time, a pause every caller in it
 * waited through (bench:proxy saw a 210 ms maximum while forwarding). The worker reads the run directory the proxy
 * has just written (result.json, timeline.ndjson) and renders it; the callers' thread only waits for its message.
 */
import type { Worker } from 'node:worker_threads'
import { startModuleWorker } from '../core/module-worker.js'

/** A request to render the reports of a run directory. */
export interface ToReportThread { id: number, runDir: string }

/** What could not be written (empty when everything was). */
export interface FromReportThread { id: number, failures: string[] }

/** Renders a run directory's reports off the calling thread, one at a time. */
export class ReportThread {
  private readonly worker: Worker = startModuleWorker(new URL('./report-worker.js', import.meta.url))
  private nextId = 1
  private readonly pending = new Map<number, (failures: string[]) => void>()

  constructor () {
    this.worker.unref()
    this.worker.on('message', (message: FromReportThread) => {
      this.pending.get(message.id)?.(message.failures)
      this.pending.delete(message.id)
    })
    const failAll = (why: string): void => {
      for (const resolve of this.pending.values()) resolve([why])
      this.pending.clear()
    }
    this.worker.on('error', (error) => { failAll(error.message) })
    this.worker.on('exit', () => { failAll('the report thread stopped') })
  }

  /** Renders the reports of `runDir` as it is on disk now; resolves with what could not be written. */
  async render (runDir: string): Promise<string[]> {
    const id = this.nextId++
    return await new Promise((resolve) => {
      this.pending.set(id, resolve)
      this.worker.postMessage({ id, runDir } satisfies ToReportThread)
    })
  }

  /** Ends the thread. */
  async close (): Promise<void> {
    await this.worker.terminate()
  }
}
