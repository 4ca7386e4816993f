import type { CutoverErrorCode } from '../core/errors.js'
import type { RunResult } from '../core/result-types.js'

/** SPEC §4 exit codes. */
export const exitCodes = {
  pass: 0,
  checkFailed: 1,
  usage: 2,
  target: 3,
  /** A bug in cutover itself (not in SPEC: sysexits' EX_SOFTWARE). */
  internal: 70,
  interrupted: 130
} as const

/** The exit code for a user-facing error. */
export function exitCodeForError (code: CutoverErrorCode): number {
  if (code.startsWith('TARGET_')) return exitCodes.target
  if (code === 'INTERNAL') return exitCodes.internal
  return exitCodes.usage
}

/**
 * The exit code for a finished run: interrupted, target trouble, failed check, or pass. `interrupted` is true when
 * Ctrl-C came after the load (while the report was written): the measurements are whole, but the user asked to stop.
 */
export function exitCodeForResult (result: RunResult, strict: boolean, interrupted = false): number {
  if (result.status === 'interrupted' || interrupted) return exitCodes.interrupted
  if (result.failures.length > 0) return exitCodes.target
  if (result.verdict === 'fail') return exitCodes.checkFailed
  if (result.verdict === 'inconclusive' && strict) return exitCodes.checkFailed
  return exitCodes.pass
}
