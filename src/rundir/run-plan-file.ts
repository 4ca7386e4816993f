import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { EnvironmentInfo } from '../core/environment.js'
import type { RunResult } from '../core/result-types.js'
import type { PlannedPhase } from '../plan/phases.js'
import type { SloLimits } from '../scenario/schema/checks.js'
import type { ScenarioConfig } from '../scenario/schema/scenario.js'
import { writeJsonAtomic } from './atomic-write.js'

/** The file name of the plan in a run directory. */
export const runPlanFileName = 'run.json'

/**
 * `run.json`: what a run set out to do, written before any load. With timeline.ndjson it is enough to rebuild
 * result.json after cutover itself was killed (`cutover report <run-dir>`).
 */
export interface RunPlanFile {
  schemaVersion: number
  tool: RunResult['tool']
  scenario: RunResult['scenario']
  command: string
  startedAt: string
  schedule: RunResult['schedule']
  settings: RunResult['settings']
  phases: PlannedPhase[]
  targets: Record<string, { url: string }>
  slo: SloLimits
  /** The scenario's checks as the run judged them (compare tolerances, leak limits), for `cutover merge` to judge alike. Absent before cutover 0.2. */
  checks?: ScenarioConfig['checks']
  environment: EnvironmentInfo
}

/** Writes `run.json` into a run directory. */
export function writeRunPlan (runDir: string, plan: RunPlanFile): void {
  writeJsonAtomic(join(runDir, runPlanFileName), plan)
}

/** Reads `run.json` of a run directory; undefined when it is missing or unreadable. */
export function readRunPlan (runDir: string): RunPlanFile | undefined {
  try {
    return JSON.parse(readFileSync(join(runDir, runPlanFileName), 'utf8')) as RunPlanFile
  } catch {
    return undefined
  }
}
