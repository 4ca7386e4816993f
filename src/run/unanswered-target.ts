import { describeKinds, type SilenceVerdict } from '../analysis/answer-watch.js'
import { CutoverError } from '../core/errors.js'

/** What the wording of an unreachable target needs to know about it. */
export interface UnansweredContext {
  name: string
  host: string
  /** Where its output went, when cutover started it. */
  logFile: string | undefined
  requestTimeoutsMs: number[]
  drainLimitMs: number
}

const seconds = (ms: number): string => ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`

/** The event detail and the exit-3 error of a target that stopped answering (or, `atEnd`, never answered). */
export function unansweredFailure (silence: SilenceVerdict, atEnd: boolean, context: UnansweredContext): { detail: string, error: CutoverError } {
  const kinds = describeKinds(silence.byKind)
  const detail = atEnd
    ? `answered no request: ${silence.unanswered} ended without an HTTP response (${kinds})`
    : `${silence.never ? 'never answered' : 'stopped answering'}: no HTTP response for ${(silence.silentMs / 1000).toFixed(1)} s while ${silence.unanswered} requests failed (${kinds})`
  return { detail, error: new CutoverError('TARGET_UNREACHABLE', `target "${context.name}" ${detail}`, { hint: hintFor(silence, context) }) }
}

/** What to look at, by the commonest way the requests failed. */
function hintFor (silence: SilenceVerdict, context: UnansweredContext): string {
  const top = Object.entries(silence.byKind).sort((a, b) => b[1] - a[1])[0]?.[0]
  const log = context.logFile === undefined ? 'its log' : `its output in ${context.logFile}`
  switch (top) {
    case 'refused': return `nothing accepts connections at ${context.host}: did the service stop or move? See ${log}`
    case 'reset': return `the service accepts connections and closes them without an answer; see ${log}`
    case 'timeout': return `no answer came within the requests' timeout (${[...new Set(context.requestTimeoutsMs)].map(seconds).join(', ')}); if the service is only slow, raise timeout: on the requests`
    case 'cut off': return `the service held the requests open without answering; cutover waited ${seconds(context.drainLimitMs)} after the load ended (or the requests' timeout, if shorter), then cut them off`
    default: return `see ${log}`
  }
}
