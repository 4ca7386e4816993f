/** The baseline files stored in a folder. */

import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { isCutoverError } from '../core/errors.js'
import type { BaselineFile } from '../analysis/baseline/baseline-format.js'
import { loadBaseline } from './load-baseline.js'

/** One `.json` file of a baselines folder: its baseline, or why it could not be read. */
export interface StoredBaselineEntry {
  file: string
  bytes: number
  baseline?: BaselineFile
  problem?: string
}

/** Every `.json` file in `dir`, sorted by name, each loaded or with its problem; empty when the folder does not exist. */
export function listBaselines (dir: string): StoredBaselineEntry[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return []
  return readdirSync(dir)
    .filter((name) => name.toLowerCase().endsWith('.json'))
    .sort()
    .map((name) => {
      const file = join(dir, name)
      const bytes = statSync(file).size
      try {
        return { file, bytes, baseline: loadBaseline(file) }
      } catch (error) {
        if (!isCutoverError(error)) throw error
        return { file, bytes, problem: error.message }
      }
    })
}
