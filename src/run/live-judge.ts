/**
 * The checks of a running run, judged on a worker thread: the old-vs-new comparison bootstraps over every interval
 * so far (about 100 ms for 90 s of an interleaved run), and on the thread that sends the load and times the answers
 * that pause would land in the latencies it measures.
 */
import { WorkerRequests } from '../core/module-worker.js'
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

/** A judging thread, one judgement at a time; it never holds the process open. */
export class LiveJudge {
  private readonly thread = new WorkerRequests<readonly TimelineLine[], LiveJudgeInput, LiveJudgement>(new URL('./live-judge-worker.js', import.meta.url), 'the live judging thread')

  /** Hands the worker the timeline lines of one closed interval. */
  addLines (lines: readonly TimelineLine[]): void {
    if (lines.length > 0) this.thread.tell(lines)
  }

  /** The checks judged on `input` and every line handed over so far. */
  async judge (input: LiveJudgeInput): Promise<LiveJudgement> {
    return await this.thread.ask(input)
  }

  /** Stops the thread; a judgement still owed is rejected. */
  async close (): Promise<void> {
    await this.thread.close()
  }
}
