import { analyzeRun } from '../analysis/analyze-run.js'
import { CutoverError } from '../core/errors.js'
import type { RunResult } from '../core/result-types.js'
import { rebuildResult } from '../rundir/rebuild-result.js'
import { checkRunDir, hasResultFile, readResultFile, writeResultFile } from '../rundir/result-file.js'
import { readRunPlan } from '../rundir/run-plan-file.js'
import { readTimeline } from '../rundir/timeline-file.js'

/**
 * The result of a run directory: its result.json, or, when cutover was killed before writing it, one rebuilt from
 * run.json and the timeline, judged against the plan's SLOs, marked incomplete and written back.
 */
export function resultOfRunDir (runDir: string, shownAs: string = runDir): { result: RunResult, rebuilt: boolean } {
  checkRunDir(runDir, shownAs)
  if (hasResultFile(runDir)) return { result: readResultFile(runDir, shownAs), rebuilt: false }
  const plan = readRunPlan(runDir)
  if (plan === undefined) throw new CutoverError('RUN_DIR_INVALID', `${shownAs} has neither result.json nor run.json`, { hint: 'pass a folder written by cutover run' })
  const result = analyzeRun({ run: rebuildResult(plan, readTimeline(runDir).lines), slo: plan.slo })
  writeResultFile(runDir, result)
  return { result, rebuilt: true }
}
