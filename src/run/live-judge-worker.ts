/** The thread that judges a running run's checks for `--metrics` (see live-judge.ts): it keeps the lines, runs the pure analysis on request. */
import { parentPort } from 'node:worker_threads'
import { analyzeRun } from '../analysis/analyze-run.js'
import { thrownMessage } from '../core/thrown-message.js'
import type { TimelineLine } from '../rundir/timeline-line.js'
import type { FromLiveJudge, ToLiveJudge } from './live-judge.js'

const port = parentPort
if (port === null) throw new Error('live-judge-worker runs as a worker thread')

const lines: TimelineLine[] = []

port.on('message', (message: ToLiveJudge) => {
  if (message.type === 'lines') {
    lines.push(...message.lines)
    return
  }
  const { compare, ...input } = message.input
  let reply: FromLiveJudge
  try {
    const result = analyzeRun({ ...input, ...(compare === undefined ? {} : { compare: { ...compare, lines } }) })
    reply = { type: 'judged', id: message.id, judgement: { checks: result.checks, verdict: result.verdict } }
  } catch (error) {
    reply = { type: 'failed', id: message.id, message: thrownMessage(error) }
  }
  port.postMessage(reply)
})
