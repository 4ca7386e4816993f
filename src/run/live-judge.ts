/**
 * The checks of a running run, judged on a worker thread: the old-vs-new comparison bootstraps over every interval
 * so far (about 100 ms for 90 s of an interleaved run), and on the thread that sends the load and times the answers
 * that pause would land in the latencies it measures.
 */
import { startModuleWorker } from '../core/module-worker.js'
import type { RunAnalysisInput } from '../analysis/analyze-run.js'
import type { CheckResult, Verdict } from '../core/result-types.js'
import type { TimelineLine } from '../rundir/timeline-line.js'

/** What the worker judges: the analysis input without the timeline lines (it holds those already) and without a baseline (a file read, judged at the end). */
export type LiveJudgeInput = Omit<RunAnalysisInput, 'baseline' | 'compare'> & { compare?: Omit<NonNullable<RunAnalysisInput['compare']>, 'lines'> }

/** The checks as judged at one moment. */
export interface LiveJudgement {
  checks: CheckResult[]
  verdict: Verdict
}

/** Messages to the judging thread. */
export type ToLiveJudge = { type: 'lines', lines: readonly TimelineLine[] } | { type: 'judge', id: number, input: LiveJudgeInput }

/** Messages from the judging thread. */
export type FromLiveJudge = { type: 'judged', id: number, judgement: LiveJudgement } | { type: 'failed', id: number, message: string }

/** A judging thread, one judgement at a time; it never holds the process open. */
export class LiveJudge {
  private readonly worker = startModuleWorker(new URL('./live-judge-worker.js', import.meta.url))
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (judgement: LiveJudgement) => void, reject: (error: Error) => void }>()
  private closed = false

  constructor () {
    this.worker.unref()
    this.worker.on('message', (message: FromLiveJudge) => {
      const waiting = this.pending.get(message.id)
      this.pending.delete(message.id)
      if (message.type === 'judged') waiting?.resolve(message.judgement)
      else waiting?.reject(new Error(message.message))
    })
    this.worker.on('error', (error) => { this.failAll(error) })
    this.worker.on('exit', (code) => { this.failAll(new Error(`the live judging thread exited with code ${code}`)) })
  }

  private failAll (error: Error): void {
    this.closed = true
    for (const waiting of this.pending.values()) waiting.reject(error)
    this.pending.clear()
  }

  /** Hands the worker the timeline lines of one closed interval. */
  addLines (lines: readonly TimelineLine[]): void {
    if (!this.closed && lines.length > 0) this.worker.postMessage({ type: 'lines', lines } satisfies ToLiveJudge)
  }

  /** The checks judged on `input` and every line handed over so far. */
  judge (input: LiveJudgeInput): Promise<LiveJudgement> {
    if (this.closed) return Promise.reject(new Error('the live judging thread has stopped'))
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.worker.postMessage({ type: 'judge', id, input } satisfies ToLiveJudge)
    })
  }

  /** Stops the thread; a judgement still owed is rejected. */
  async close (): Promise<void> {
    if (this.closed) return
    this.failAll(new Error('the live judging thread was stopped'))
    await this.worker.terminate()
  }
}
