import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { CutoverError } from '../core/errors.js'

/** `20261127T095301Z`: a UTC timestamp safe in file names. */
export function compactTimestamp (date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
}

/** Creates `reports/<scenario>-<UTC timestamp>/` (or `out`) with its `logs/` folder. */
export function createRunDir (scenarioName: string, out: string | undefined, startedAt: Date, reportsRoot = 'reports'): string {
  const dir = resolve(out ?? join(reportsRoot, `${scenarioName}-${compactTimestamp(startedAt)}`))
  try {
    mkdirSync(join(dir, 'logs'), { recursive: true })
  } catch (error) {
    throw new CutoverError('RUN_DIR', `cannot create the run directory ${dir}: ${error instanceof Error ? error.message : String(error)}`, { hint: 'pass a writable folder with --out' })
  }
  return dir
}
