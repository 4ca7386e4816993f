/** Reads the three files of a run directory a baseline is made from: result.json, timeline.ndjson, run.json. */

import { existsSync, readFileSync, statSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { CutoverError } from '../core/errors.js'
import type { RunResult } from '../core/result-types.js'
import { readTimeline } from '../report/rebuild-result.js'
import type { TimelineLine } from '../report/timeline.js'
import { readRunPlan, type RunPlanFile } from '../run/run-plan-file.js'
import type { RunSnapshot } from './baseline-format.js'
import { snapshotRun } from './snapshot-run.js'

/** A run directory's result, timeline lines and plan (the plan is absent in runs older than run.json). */
export interface RunFiles {
  runDir: string
  result: RunResult
  lines: TimelineLine[]
  plan?: RunPlanFile
}

/** Reads a run directory; throws a `RUN_DIR` CutoverError saying what is missing. */
export function readRunFiles (dir: string): RunFiles {
  const runDir = resolve(dir)
  if (!existsSync(runDir) || !statSync(runDir).isDirectory()) {
    throw new CutoverError('RUN_DIR', `not a run directory: ${dir}: pass a folder written by \`cutover run\` (under reports/)`)
  }
  const resultPath = join(runDir, 'result.json')
  let text: string
  try {
    text = readFileSync(resultPath, 'utf8')
  } catch {
    throw new CutoverError('RUN_DIR', `${resultPath} does not exist: pass a run directory written by \`cutover run\`, or rebuild its result with \`cutover report ${dir}\``)
  }
  let result: RunResult
  try {
    result = JSON.parse(text) as RunResult
  } catch (error) {
    throw new CutoverError('RUN_DIR', `${resultPath} is not valid JSON (${error instanceof Error ? error.message : String(error)}): delete it and rebuild it with \`cutover report ${dir}\``)
  }
  if (result === null || typeof result !== 'object' || typeof result.targets !== 'object' || result.targets === null) {
    throw new CutoverError('RUN_DIR', `${resultPath} is not a cutover result (it has no targets): pass a run directory written by \`cutover run\``)
  }
  const lines = readTimeline(runDir)
  if (lines.length === 0) {
    throw new CutoverError('RUN_DIR', `${join(runDir, 'timeline.ndjson')} is missing or empty: a baseline needs the per-interval figures of the run`)
  }
  const plan = readRunPlan(runDir)
  return { runDir, result, lines, ...(plan === undefined ? {} : { plan }) }
}

/** The snapshot of the run in `dir`, ready to be saved or compared with a baseline. */
export function readRunSnapshot (dir: string): { files: RunFiles, snapshot: RunSnapshot } {
  const files = readRunFiles(dir)
  return { files, snapshot: snapshotRun({ result: files.result, lines: files.lines, plan: files.plan, runDirName: basename(files.runDir) }) }
}
