import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SloLimits } from '../analysis/slo.js'
import type { EnvironmentInfo } from '../core/environment.js'
import type { RunResult } from '../core/result-types.js'
import type { PlannedPhase } from '../plan/phases.js'

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
  environment: EnvironmentInfo
}

/** Reads `run.json` of a run directory; undefined when it is missing or unreadable. */
export function readRunPlan (runDir: string): RunPlanFile | undefined {
  try {
    return JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as RunPlanFile
  } catch {
    return undefined
  }
}
