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

/** One of the SPEC §4 exit codes. */
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes]

/** The exit code of every error code: a new code must be placed here before it compiles. */
export const exitCodeOfError: Record<CutoverErrorCode, ExitCode> = {
  SCENARIO_NOT_FOUND: exitCodes.usage,
  SCENARIO_SYNTAX: exitCodes.usage,
  SCENARIO_INVALID: exitCodes.usage,
  SCENARIO_TOO_LARGE: exitCodes.usage,
  DATA_FILE: exitCodes.usage,
  TEMPLATE: exitCodes.usage,
  SCENARIO_CODE: exitCodes.usage,
  PROXY_CONFIG: exitCodes.usage,
  USAGE: exitCodes.usage,
  TARGET_START_FAILED: exitCodes.target,
  TARGET_NOT_READY: exitCodes.target,
  TARGET_UNREACHABLE: exitCodes.target,
  TARGET_DIED: exitCodes.target,
  RUN_DIR_INVALID: exitCodes.usage,
  RUN_DIR_WRITE: exitCodes.usage,
  BASELINE_MISSING: exitCodes.usage,
  BASELINE_INVALID: exitCodes.usage,
  BASELINE_WRITE: exitCodes.usage,
  BASELINE_REFUSED: exitCodes.usage,
  REPLAY_FILE: exitCodes.usage,
  SHADOW_CONFIG: exitCodes.usage,
  SHARD_CONFIG: exitCodes.usage,
  MERGE_REFUSED: exitCodes.usage,
  INIT_SOURCE: exitCodes.usage
}

/** The exit code for a user-facing error. */
export function exitCodeForError (code: CutoverErrorCode): ExitCode {
  return exitCodeOfError[code]
}

/**
 * The exit code once the reports were written: an output that could not be written is cutover's own failure, 70,
 * where the run would have said 0 or 1 (an exit 1 means a check failed; it must never stand for a lost report).
 */
export function afterReports (code: number, reportsFailed: boolean): number {
  return reportsFailed && (code === exitCodes.pass || code === exitCodes.checkFailed) ? exitCodes.internal : code
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
