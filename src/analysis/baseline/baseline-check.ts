/** `checks.baseline` at the end of a run: the run's snapshot against the stored baseline, or why there is none. */

import type { CheckResult } from '../../core/result-types.js'
import type { BaselineFile, RunSnapshot } from './baseline-format.js'
import { compareWithBaseline, type BaselineComparison, type BaselineTolerances } from './compare-baseline.js'

/** The baseline a scenario's `checks.baseline` names, as the run found it. */
export type BaselineForCheck =
  | { state: 'missing', message: string }
  | { state: 'invalid', message: string }
  | { state: 'loaded', baseline: BaselineFile, file: string, tolerances: BaselineTolerances }

/**
 * A missing baseline is one inconclusive check saying how to save one; a damaged or foreign file is one failed check
 * (so the run's result is still written); otherwise the metrics and checks of {@link compareWithBaseline}.
 */
export function baselineCheck (found: BaselineForCheck, current: RunSnapshot, seed: number): { baseline?: BaselineComparison, checks: CheckResult[] } {
  if (found.state === 'missing') return { checks: [{ id: 'baseline.file', status: 'inconclusive', observed: 0, limit: 1, unit: 'files', message: found.message }] }
  if (found.state === 'invalid') return { checks: [{ id: 'baseline.file', status: 'fail', observed: 0, limit: 1, unit: 'files', message: found.message }] }
  return compareWithBaseline(found.baseline, current, found.tolerances, { file: found.file, seed })
}
