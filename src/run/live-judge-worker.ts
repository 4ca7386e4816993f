/** The thread that judges a running run's checks for `--metrics` (see live-judge.ts): it keeps the lines, runs the pure analysis on request. */
import { analyzeRun } from '../analysis/analyze-run.js'
import { answerRequests } from '../core/module-worker.js'
import type { TimelineLine } from '../rundir/timeline-line.js'
import type { LiveJudgeInput, LiveJudgement } from './live-judge.js'

const lines: TimelineLine[] = []

answerRequests<readonly TimelineLine[], LiveJudgeInput, LiveJudgement>(({ compare, ...input }) => {
  const result = analyzeRun({ ...input, ...(compare === undefined ? {} : { compare: { ...compare, lines } }) })
  return { checks: result.checks, verdict: result.verdict }
}, (added) => { lines.push(...added) })
