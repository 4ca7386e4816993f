/** `checks.baseline` at the end of a run: load the stored baseline named in the scenario and compare the run with it. */

import { existsSync } from 'node:fs'
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path'
import type { z } from 'zod'
import { isCutoverError } from '../core/errors.js'
import type { CheckResult, RunResult } from '../core/result-types.js'
import { readTimeline } from '../report/rebuild-result.js'
import { readRunPlan } from '../run/run-plan-file.js'
import type { baselineCheckSchema } from '../scenario/schema/checks.js'
import { compareWithBaseline, type BaselineComparison, type BaselineTolerances } from './compare-baseline.js'
import { loadBaseline } from './load-baseline.js'
import { baselinePath, defaultBaselineDir } from './save-baseline.js'
import { snapshotRun } from './snapshot-run.js'

/** `checks.baseline` of a scenario, units resolved. */
export type BaselineCheckConfig = z.output<typeof baselineCheckSchema>

/** The tolerances of `checks.baseline` (everything but `file`). */
export function baselineTolerances (config: BaselineCheckConfig): BaselineTolerances {
  const { file: _file, ...tolerances } = config
  return Object.fromEntries(Object.entries(tolerances).filter(([, value]) => value !== undefined)) as BaselineTolerances
}

/** The baseline file `checks.baseline.file` names, resolved against the scenario's folder. */
export function resolveBaselineFile (config: Pick<BaselineCheckConfig, 'file'>, scenarioDir: string): string {
  return resolve(scenarioDir, config.file)
}

const shown = (path: string): string => {
  const rel = relative(process.cwd(), path)
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path
}

/** The `cutover baseline save` command that writes a baseline exactly where `path` expects it. */
export function saveCommandFor (runDir: string, scenarioName: string, path: string): string {
  const target = shown(path)
  if (target === baselinePath(scenarioName, defaultBaselineDir)) return `cutover baseline save ${shown(runDir)}`
  return `cutover baseline save ${shown(runDir)} --dir ${dirname(target)} --name ${basename(target).replace(/\.json$/i, '')}`
}

/**
 * Compares a finished run with the baseline `checks.baseline.file` names (relative to the scenario's folder). A
 * missing baseline is one inconclusive check saying how to save one; a damaged or foreign file is one failed check
 * (so the run's result is still written); otherwise the metrics and checks of {@link compareWithBaseline}.
 */
export function applyBaselineCheck (runDir: string, result: RunResult, checksBaseline: BaselineCheckConfig, scenarioDir: string): { baseline?: BaselineComparison, checks: CheckResult[] } {
  const path = resolveBaselineFile(checksBaseline, scenarioDir)
  if (!existsSync(path)) {
    return {
      checks: [{
        id: 'baseline.file',
        status: 'inconclusive',
        observed: 0,
        limit: 1,
        unit: 'files',
        message: `no baseline yet at ${shown(path)}: save one with \`${saveCommandFor(runDir, result.scenario.name, path)}\` (or run with --update-baseline)`
      }]
    }
  }
  let stored
  try {
    stored = loadBaseline(path)
  } catch (error) {
    if (!isCutoverError(error)) throw error
    return { checks: [{ id: 'baseline.file', status: 'fail', observed: 0, limit: 1, unit: 'files', message: error.message }] }
  }
  const snapshot = snapshotRun({ result, lines: readTimeline(runDir), plan: readRunPlan(runDir), runDirName: basename(resolve(runDir)) })
  return compareWithBaseline(stored, snapshot, baselineTolerances(checksBaseline), { file: checksBaseline.file, seed: result.settings.seed })
}
