/** Reads what a baseline is made from: result.json, timeline.ndjson and run.json of a run directory. */

import { basename, join } from 'node:path'
import { CutoverError } from '../core/errors.js'
import type { RunSnapshot } from '../analysis/baseline/baseline-format.js'
import { snapshotRun } from '../analysis/baseline/snapshot-run.js'
import { readRunDir, type RunDirContents } from '../rundir/read-run-dir.js'
import { timelineFileName } from '../rundir/timeline-file.js'

/** Reads a run directory that a baseline can be made from; throws `RUN_DIR_INVALID` saying what is missing. */
export function readRunFiles (dir: string): RunDirContents {
  const contents = readRunDir(dir)
  if (contents.timeline.length === 0) {
    throw new CutoverError('RUN_DIR_INVALID', `${join(contents.runDir, timelineFileName)} is missing or empty: a baseline needs the per-interval figures of the run`)
  }
  return contents
}

/** The snapshot of the run in `dir`, ready to be saved or compared with a baseline. */
export function readRunSnapshot (dir: string): { files: RunDirContents, snapshot: RunSnapshot } {
  const files = readRunFiles(dir)
  return { files, snapshot: snapshotRun({ result: files.result, lines: files.timeline, plan: files.plan, runDirName: basename(files.runDir) }) }
}
