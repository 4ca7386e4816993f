import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { CutoverError } from '../core/errors.js'

/** `20261127T095301Z`: a UTC timestamp safe in file names. */
export function compactTimestamp (date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
}

/** What a run writes into its directory; a new run in the same `--out` replaces these and nothing else. */
export const runFiles = ['timeline.ndjson', 'result.json', 'run.json', 'scenario.yaml', 'report.html', 'summary.md', 'junit.xml', 'charts', 'logs', 'clinic']

/**
 * Creates `reports/<scenario>-<UTC timestamp>/` (with `-2`, `-3`... when a run of the same second has it), or `out`,
 * with its `logs/` folder. An `out` that holds an earlier run loses that run's files first: a timeline appended to
 * another run's would mix the two in every chart and comparison.
 */
export function createRunDir (scenarioName: string, out: string | undefined, startedAt: Date, reportsRoot = 'reports'): string {
  let dir = resolve(out ?? join(reportsRoot, `${scenarioName}-${compactTimestamp(startedAt)}`))
  if (out === undefined) {
    const base = dir
    for (let n = 2; existsSync(dir); n++) dir = `${base}-${n}`
  }
  try {
    if (out !== undefined) for (const name of runFiles) rmSync(join(dir, name), { recursive: true, force: true })
    mkdirSync(join(dir, 'logs'), { recursive: true })
  } catch (error) {
    throw new CutoverError('RUN_DIR_WRITE', `cannot create the run directory ${dir}: ${error instanceof Error ? error.message : String(error)}`, { hint: 'pass a writable folder with --out' })
  }
  return dir
}
