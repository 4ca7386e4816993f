/** `checks.baseline` of a scenario: where its file is, and loading it for the check at the end of a run. */

import { existsSync } from 'node:fs'
import { basename, dirname, resolve } from 'node:path'
import type { z } from 'zod'
import type { BaselineForCheck } from '../analysis/baseline/baseline-check.js'
import type { BaselineTolerances } from '../analysis/baseline/compare-baseline.js'
import { isCutoverError } from '../core/errors.js'
import type { baselineCheckSchema } from '../scenario/schema/checks.js'
import { loadBaseline } from './load-baseline.js'
import { baselinePath, defaultBaselineDir } from './save-baseline.js'
import { shownPath } from '../core/shown-path.js'

/** `checks.baseline` of a scenario, units resolved. */
export type BaselineCheckConfig = z.output<typeof baselineCheckSchema>

/** The tolerances of `checks.baseline` (everything but `file` and `history`). */
export function baselineTolerances (config: BaselineCheckConfig): BaselineTolerances {
  const { file: _file, history: _history, ...tolerances } = config
  return Object.fromEntries(Object.entries(tolerances).filter(([, value]) => value !== undefined)) as BaselineTolerances
}

/** The baseline file `checks.baseline.file` names, resolved against the scenario's folder. */
export function resolveBaselineFile (config: Pick<BaselineCheckConfig, 'file'>, scenarioDir: string): string {
  return resolve(scenarioDir, config.file)
}

/** The `cutover baseline save` command that writes a baseline exactly where `path` expects it. */
export function saveCommandFor (runDir: string, scenarioName: string, path: string): string {
  const target = shownPath(path)
  if (target === baselinePath(scenarioName, defaultBaselineDir)) return `cutover baseline save ${shownPath(runDir)}`
  return `cutover baseline save ${shownPath(runDir)} --dir ${dirname(target)} --name ${basename(target).replace(/\.json$/i, '')}`
}

/**
 * Loads the baseline `checks.baseline.file` names (relative to the scenario's folder) for the check at the end of the
 * run in `runDir`: missing (with the command that would save one), damaged or foreign (the loader's message), or loaded.
 */
export function loadBaselineForCheck (config: BaselineCheckConfig, scenarioDir: string, runDir: string, scenarioName: string): BaselineForCheck {
  const path = resolveBaselineFile(config, scenarioDir)
  if (!existsSync(path)) {
    return { state: 'missing', message: `no baseline yet at ${shownPath(path)}: save one with \`${saveCommandFor(runDir, scenarioName, path)}\` (or run with --update-baseline)` }
  }
  try {
    return { state: 'loaded', baseline: loadBaseline(path), file: config.file, tolerances: baselineTolerances(config) }
  } catch (error) {
    if (!isCutoverError(error)) throw error
    return { state: 'invalid', message: error.message }
  }
}
