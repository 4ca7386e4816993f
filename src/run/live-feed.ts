/**
 * `--metrics` during a run: every closed interval's timeline lines go into the live metrics, and every few seconds the
 * checks are judged again, on a worker thread, on what was measured so far (the baseline check only at the end).
 */
import { performance } from 'node:perf_hooks'
import type { CompareTolerances } from '../analysis/compare-runs.js'
import { thrownMessage } from '../core/thrown-message.js'
import type { PlannedPhase } from '../plan/phases.js'
import type { LiveMetrics } from '../report/live/live-metrics.js'
import type { TimelineLine } from '../rundir/timeline-line.js'
import { LiveJudge } from './live-judge.js'
import type { RunContext } from './run-context.js'

/** Least time between two judgements of the checks while the run goes (each costs the load's thread about 2 ms: the target summaries). */
export const liveJudgeEveryMs = 3000

/** What the feed needs besides the context: what the final analysis judges with. */
export interface LiveFeedInput {
  context: RunContext
  live: LiveMetrics
  phases: PlannedPhase[]
  tolerances: CompareTolerances
}

/** Feeds a run's live metrics from its context until stopped. */
export class LiveFeed {
  private readonly judge = new LiveJudge()
  private judging: Promise<void> | undefined
  private lastJudgedMs = -Infinity
  private stopped = false
  /** Set when the judging thread failed: the counters go on, the checks wait for the run's end. */
  private judgingOff = false

  private constructor (private readonly input: LiveFeedInput) {
    input.context.onLines((lines) => { this.received(lines) })
  }

  /** Starts feeding `input.live` from the intervals `input.context` closes from now on. */
  static start (input: LiveFeedInput): LiveFeed {
    return new LiveFeed(input)
  }

  private received (lines: readonly TimelineLine[]): void {
    if (this.stopped) return
    try {
      for (const line of lines) this.input.live.addLine(line)
    } catch (error) {
      // the measurements are the run's product: a fault in their live copy ends the copy, never the run
      this.input.context.options.progress.message(`warning: --metrics: the live metrics stopped at this interval (${thrownMessage(error)}); result.json is not affected`)
      void this.stop()
      return
    }
    this.judge.addLines(lines)
    if (!this.judgingOff && this.judging === undefined && performance.now() - this.lastJudgedMs >= liveJudgeEveryMs) {
      this.lastJudgedMs = performance.now()
      this.judging = this.judgeNow().finally(() => { this.judging = undefined })
    }
  }

  /** Judges the checks on the run so far; a failure is said once and ends the live judging, never the run. */
  private async judgeNow (): Promise<void> {
    const { context, live, phases, tolerances } = this.input
    try {
      const judgement = await this.judge.judge({
        run: context.measured('checks'),
        slo: context.plan.slo,
        leak: context.leakInput(),
        compare: { phases, intervalMs: context.intervalMs, tolerances }
      })
      if (!this.stopped) live.judged(judgement.checks, judgement.verdict)
    } catch (error) {
      if (this.stopped) return
      this.judgingOff = true
      context.options.progress.message(`warning: --metrics: the checks are no longer judged during the run (${thrownMessage(error)}); their final values follow the run`)
      await this.judge.close()
    }
  }

  /** Stops judging (the run's own analysis sets the final checks); the lines fed so far stay. */
  async stop (): Promise<void> {
    this.stopped = true
    await this.judge.close()
  }
}
