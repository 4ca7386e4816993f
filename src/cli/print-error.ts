import { formatLocation, type CutoverError } from '../core/errors.js'

/** Prints a user-facing error: the message, each located problem, and what to do. No stack trace. */
export function printError (error: CutoverError, stream: NodeJS.WritableStream): void {
  if (error.issues.length === 0) {
    stream.write(`error: ${error.message}\n`)
  } else {
    stream.write(`error: ${error.message}\n`)
    for (const issue of error.issues) stream.write(`  ${formatLocation(issue.location)}: ${issue.message}\n`)
  }
  if (error.hint !== undefined) stream.write(`hint: ${error.hint}\n`)
}
