/** result.json of a run directory: the one reader (always `RUN_DIR_INVALID` when it cannot be used) and the writer. */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { CutoverError } from '../core/errors.js'
import type { RunResult } from '../core/result-types.js'
import { writeTextAtomic } from './atomic-write.js'

/** The file name of the result in a run directory. */
export const resultFileName = 'result.json'

/** Throws `RUN_DIR_INVALID` unless `runDir` is an existing folder. */
export function checkRunDir (runDir: string, shownAs: string = runDir): void {
  if (!existsSync(runDir) || !statSync(runDir).isDirectory()) {
    throw new CutoverError('RUN_DIR_INVALID', `not a run directory: ${shownAs}: pass a folder written by \`cutover run\` (under reports/)`)
  }
}

/** True when the run directory holds a result.json (whole or not). */
export function hasResultFile (runDir: string): boolean {
  return existsSync(join(runDir, resultFileName))
}

/** Reads result.json; throws `RUN_DIR_INVALID` saying what is wrong when it is missing, not JSON or not a result. */
export function readResultFile (runDir: string, shownAs: string = runDir): RunResult {
  const path = join(runDir, resultFileName)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    throw new CutoverError('RUN_DIR_INVALID', `${path} does not exist`, { hint: `pass a run directory written by \`cutover run\`, or rebuild its result with \`cutover report ${shownAs}\`` })
  }
  let result: RunResult
  try {
    result = JSON.parse(text) as RunResult
  } catch (error) {
    throw new CutoverError('RUN_DIR_INVALID', `${path} is not valid JSON (${error instanceof Error ? error.message : String(error)})`, { hint: `the run may have been stopped while writing it: delete it and rebuild it with \`cutover report ${shownAs}\`` })
  }
  if (result === null || typeof result !== 'object' || typeof result.targets !== 'object' || result.targets === null) {
    throw new CutoverError('RUN_DIR_INVALID', `${path} is not a cutover result (it has no targets)`, { hint: 'pass a run directory written by `cutover run`' })
  }
  return result
}

/**
 * Writes result.json atomically; returns the result as a reader of the file sees it (numbers without a value, NaN
 * or ±Infinity, become null), so reports drawn from memory show what the file says.
 */
export function writeResultFile (runDir: string, result: RunResult): RunResult {
  const text = JSON.stringify(result, null, 2) + '\n'
  writeTextAtomic(join(runDir, resultFileName), text)
  return JSON.parse(text) as RunResult
}
