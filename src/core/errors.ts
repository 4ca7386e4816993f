/** Where in a scenario file a problem is. Lines and columns start at 1. */
export interface SourceLocation {
  file: string
  line?: number
  column?: number
  /** Field path such as `phases[2].rate`. */
  field?: string
}

/**
 * Stable error codes, one per kind of problem; callers test `code`, never the message text. Each has exactly one exit
 * code (`exitCodeOfError` in cli/exit-codes.ts), so adding a code without deciding its exit code does not compile.
 */
export const cutoverErrorCodes = [
  /** The scenario file does not exist or cannot be read. */
  'SCENARIO_NOT_FOUND',
  /** The scenario is not valid YAML or JSON. */
  'SCENARIO_SYNTAX',
  /** The scenario parses but breaks the format (every problem with file, line, column and field). */
  'SCENARIO_INVALID',
  /** The scenario file is larger than cutover reads. */
  'SCENARIO_TOO_LARGE',
  /** A data file a scenario names is missing or malformed. */
  'DATA_FILE',
  /** A template in a scenario does not parse or cannot be evaluated. */
  'TEMPLATE',
  /** Scenario code (a scenario module, a hooks module, setup or teardown) cannot be loaded or failed. */
  'SCENARIO_CODE',
  /** A flag or argument on the command line is wrong. */
  'USAGE',
  /** A target's start command could not start the service. */
  'TARGET_START_FAILED',
  /** A started service never became ready. */
  'TARGET_NOT_READY',
  /** Nothing answers at a target, or it stopped answering during the run. */
  'TARGET_UNREACHABLE',
  /** A service cutover started died during the run. */
  'TARGET_DIED',
  /** A run directory given to a command is not one, or its result.json or timeline cannot be read. */
  'RUN_DIR_INVALID',
  /** The run directory cannot be created or written. */
  'RUN_DIR_WRITE',
  /** No baseline file where one was asked for. */
  'BASELINE_MISSING',
  /** A baseline file is damaged, foreign, or from a cutover that this one cannot read. */
  'BASELINE_INVALID',
  /** A baseline file cannot be written. */
  'BASELINE_WRITE',
  /** A run that is not whole or did not pass is not saved as a baseline (without --force). */
  'BASELINE_REFUSED',
  /** A recorded-traffic file given to --replay is malformed. */
  'REPLAY_FILE',
  /** A shadow run cannot be set up from this scenario: too few targets, nothing read-only to send. */
  'SHADOW_CONFIG',
  /** `cutover proxy` cannot start as asked: no old or new target, an address it cannot listen on. */
  'PROXY_CONFIG',
  /** A shard cannot run as asked: services it would start itself, a start time already past, an adaptive run. */
  'SHARD_CONFIG',
  /** Shard run directories that do not make one run: different scenarios, seeds or start times, or one missing. */
  'MERGE_REFUSED',
  /** An OpenAPI document or HAR file given to `cutover init` is missing, unreadable or not what it claims to be. */
  'INIT_SOURCE'
] as const

/** One of {@link cutoverErrorCodes}. */
export type CutoverErrorCode = (typeof cutoverErrorCodes)[number]

/** One problem found in a scenario, with its place in the file. */
export interface ScenarioIssue {
  location: SourceLocation
  message: string
}

/** An error a user can cause or fix. Printed without a stack trace. */
export class CutoverError extends Error {
  readonly code: CutoverErrorCode
  readonly hint: string | undefined
  readonly issues: ScenarioIssue[]

  constructor (code: CutoverErrorCode, message: string, options: { hint?: string, issues?: ScenarioIssue[], cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'CutoverError'
    this.code = code
    this.hint = options.hint
    this.issues = options.issues ?? []
  }
}

/** Formats a location as `file:line:column field`, as compilers do. */
export function formatLocation (location: SourceLocation): string {
  let text = location.file
  if (location.line !== undefined) {
    text += `:${location.line}`
    if (location.column !== undefined) text += `:${location.column}`
  }
  if (location.field !== undefined && location.field !== '') text += ` ${location.field}`
  return text
}

/** True for errors raised on purpose by cutover. */
export function isCutoverError (error: unknown): error is CutoverError {
  return error instanceof CutoverError
}
