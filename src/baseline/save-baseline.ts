/** Saves an accepted run as a baseline file, atomically. */

import { mkdirSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { CutoverError } from '../core/errors.js'
import { toolVersion } from '../core/version.js'
import { writeJsonAtomic } from '../rundir/atomic-write.js'
import { baselineKind, baselineSchemaVersion, type BaselineFile } from '../analysis/baseline/baseline-format.js'
import { readRunSnapshot } from './read-run.js'

/** Where baselines live unless told otherwise (SPEC §6). */
export const defaultBaselineDir = 'baselines'

/** How {@link saveBaseline} names and places the file, and whether it may save a run that did not pass. */
export interface SaveBaselineOptions {
  /** File name without `.json`; default the scenario name. */
  name?: string | undefined
  /** Folder of the file; default `baselines`. */
  dir?: string | undefined
  /** Exact path of the file; overrides `name` and `dir`. */
  file?: string | undefined
  /** Save even a run that was interrupted, failed to finish, or whose verdict is fail. */
  force?: boolean | undefined
}

/** A written baseline. */
export interface SavedBaseline {
  path: string
  bytes: number
  baseline: BaselineFile
}

/** `catalog` → `catalog`; anything unsafe in a file name becomes `-`. */
export function baselineFileName (name: string): string {
  const bare = name.replace(/\.json$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '')
  return `${bare === '' ? 'baseline' : bare}.json`
}

/** The path of baseline `name` in `dir` (default `baselines/<name>.json`). */
export function baselinePath (name: string, dir: string = defaultBaselineDir): string {
  return join(dir, baselineFileName(name))
}

/** Reads a run directory and writes its baseline file; refuses a run that did not complete or failed, unless forced. */
export function saveBaseline (runDir: string, options: SaveBaselineOptions = {}): SavedBaseline {
  const { files, snapshot } = readRunSnapshot(runDir)
  const result = files.result
  if (options.force !== true) {
    if (result.status !== 'completed') {
      throw new CutoverError('BASELINE_REFUSED', `the run in ${runDir} did not complete (status ${result.status}): a baseline should be a whole, accepted run — run it again, or pass --force to save it anyway`)
    }
    if (result.verdict === 'fail') {
      const failed = result.checks.filter((check) => check.status === 'fail').map((check) => `${check.target === undefined ? '' : `${check.target} `}${check.id}`)
      throw new CutoverError('BASELINE_REFUSED', `the run in ${runDir} failed its checks (${failed.join(', ') || 'verdict fail'}): a baseline should be an accepted run — fix what failed and run again, or pass --force to save it anyway`)
    }
  }
  const path = resolve(options.file ?? baselinePath(options.name ?? snapshot.scenario.name, options.dir ?? defaultBaselineDir))
  const baseline: BaselineFile = {
    schemaVersion: baselineSchemaVersion,
    kind: baselineKind,
    savedAt: new Date().toISOString(),
    tool: { name: 'cutover', version: toolVersion },
    ...snapshot
  }
  try {
    mkdirSync(dirname(path), { recursive: true })
    writeJsonAtomic(path, baseline)
  } catch (error) {
    throw new CutoverError('BASELINE_WRITE', `cannot write the baseline ${path}: ${error instanceof Error ? error.message : String(error)} — pass a writable folder with --dir`)
  }
  return { path, bytes: statSync(path).size, baseline }
}

/** `--update-baseline`: replaces the baseline at `file` with this run; refuses a run that did not complete or failed. */
export function updateBaseline (runDir: string, file: string): SavedBaseline {
  return saveBaseline(runDir, { file })
}
