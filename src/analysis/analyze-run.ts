/**
 * The analysis of a run, in one pure step: SLO checks, leak verdicts, new against old, the baseline check and the
 * verdict, from what the run measured (in memory during a run; read back by `cutover report` after a crash).
 */
import type { CheckResult, MeasuredRun, RunResult } from '../core/result-types.js'
import type { PlannedPhase } from '../plan/phases.js'
import type { RunPlanFile } from '../rundir/run-plan-file.js'
import type { TimelineLine } from '../rundir/timeline-line.js'
import type { SloLimits } from '../scenario/schema/checks.js'
import { baselineCheck, type BaselineForCheck } from './baseline/baseline-check.js'
import { snapshotRun } from './baseline/snapshot-run.js'
import type { SequentialLooks } from './compare/compare-paired.js'
import { comparedPair, compareTargets, type CompareTolerances } from './compare-runs.js'
import { leakAnalysis, type TargetMemory } from './leak-for-run.js'
import { sloChecks } from './slo.js'
import { verdictOf } from './verdict.js'

/** What to judge; each part left out is not judged (a smoke run judges only its own steps). */
export interface RunAnalysisInput {
  run: MeasuredRun
  /** Checks the command decided itself (smoke steps, shadow endpoints, capacity knees); they follow the SLO checks. */
  commandChecks?: CheckResult[]
  /** `checks.slo`: one check per target and limit. */
  slo?: SloLimits
  /** Each target's memory series for its leak verdict, and `checks.leak` (undefined: a suspected leak only warns). */
  leak?: { memory: readonly TargetMemory[], maxGrowth: number | 'auto' | undefined }
  /** New against old over the timeline (`only`: just these metrics, e.g. the capacity knees of a capacity run). */
  compare?: { lines: readonly TimelineLine[], phases: PlannedPhase[], intervalMs: number, tolerances: CompareTolerances, only?: readonly string[], sequential?: SequentialLooks | undefined }
  /** `checks.baseline`: the baseline as the run found it, and what the run's snapshot is made from. */
  baseline?: { found: BaselineForCheck, lines: readonly TimelineLine[], plan?: RunPlanFile | undefined, runDirName: string }
}

/** The judged result: `run` with leak verdicts on its targets, the checks, the comparison, the baseline and the verdict. */
export function analyzeRun (input: RunAnalysisInput): RunResult {
  const { run } = input
  const targets = Object.fromEntries(Object.entries(run.targets).map(([name, summary]) => [name, { ...summary }]))
  const checks: CheckResult[] = []
  if (input.slo !== undefined) {
    const limits = input.slo
    checks.push(...Object.entries(targets).flatMap(([name, summary]) => sloChecks(name, summary, limits)))
  }
  checks.push(...input.commandChecks ?? [])
  const leak = input.leak === undefined
    ? undefined
    : leakAnalysis(input.leak.memory.filter((memory) => targets[memory.target] !== undefined), input.leak.maxGrowth, comparedPair(Object.keys(targets)))
  for (const [name, summary] of Object.entries(leak?.leaks ?? {})) {
    const target = targets[name]
    if (target !== undefined) target.leak = summary
  }
  checks.push(...leak?.checks ?? [])
  // result.json's fields in the order people read them: the verdict and the checks before the targets
  const { schemaVersion, tool, scenario, command, startedAt, endedAt, status, schedule, failures, settings, environment, targets: _measured, ...rest } = run
  const result: RunResult = { schemaVersion, tool, scenario, command, startedAt, endedAt, status, verdict: verdictOf(checks), schedule, checks, targets, failures, settings, environment, ...rest }
  if (input.compare !== undefined) {
    const { only, ...compare } = input.compare
    const compared = compareTargets({ ...compare, result, seed: run.settings.seed })
    if (compared !== undefined) {
      const kept = (name: string): boolean => only === undefined || only.includes(name)
      result.comparison = { ...compared.comparison, metrics: compared.comparison.metrics.filter((metric) => kept(metric.name)) }
      checks.push(...compared.checks.filter((check) => kept(check.id.replace(/^compare\./, ''))))
    }
  }
  if (input.baseline !== undefined) {
    const { found, lines, plan, runDirName } = input.baseline
    const snapshot = snapshotRun({ result: { ...result, verdict: verdictOf(checks) }, lines, plan, runDirName })
    const against = baselineCheck(found, snapshot, run.settings.seed)
    if (against.baseline !== undefined) result.baseline = against.baseline
    checks.push(...against.checks)
  }
  if (leak?.growth !== undefined && result.comparison !== undefined) result.comparison.metrics.push(leak.growth)
  result.verdict = verdictOf(checks)
  return result
}
