/** Where in a scenario file a problem is. Lines and columns start at 1. */
export interface SourceLocation {
  file: string
  line?: number
  column?: number
  /** Field path such as `phases[2].rate`. */
  field?: string
}

/** Stable error codes; callers test `code`, never the message text. */
export type CutoverErrorCode =
  | 'SCENARIO_NOT_FOUND'
  | 'SCENARIO_SYNTAX'
  | 'SCENARIO_INVALID'
  | 'SCENARIO_TOO_LARGE'
  | 'DATA_FILE'
  | 'TEMPLATE'
  | 'USAGE'
  | 'TARGET_START_FAILED'
  | 'TARGET_NOT_READY'
  | 'TARGET_UNREACHABLE'
  | 'TARGET_DIED'
  | 'RUN_DIR'
  | 'INTERNAL'

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
