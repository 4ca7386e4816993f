import { analyzeRun } from '../analysis/analyze-run.js'
import type { CheckResult } from '../core/result-types.js'
import type { StepReport } from '../load/journey-source.js'
import { runSmokeSteps } from '../load/smoke.js'
import { planPhases } from '../plan/phases.js'
import type { LoadedScenario } from '../scenario/load.js'
import { RunContext, type RunContextOptions } from './run-context.js'
import type { RunOutcome } from './run-scenario.js'

/** Options of `cutover smoke`. */
export interface SmokeOptions extends Omit<RunContextOptions, 'command'> {
  /** How many times every request and journey runs against each target (default 1). */
  iterations: number
}

/** One step against one target, over every iteration. */
export interface SmokeCell {
  runs: number
  failures: number
  /** The first failure's reason. */
  reason: string | undefined
}

/** One row of the smoke table: a step of a journey, or a single request (step `request`). */
export interface SmokeRow {
  /** `smoke.<journey or request>.<step>`. */
  id: string
  journey: string
  step: string
  /** By target; a missing target means the step never ran there (an earlier step failed, or the target did not start). */
  targets: Record<string, SmokeCell>
}

/** What a smoke run produced. */
export interface SmokeOutcome extends RunOutcome {
  rows: SmokeRow[]
}

/** The steps smoke runs, in order: every request, then every journey's request steps. */
export function smokeSteps (scenario: LoadedScenario): Array<{ journey: string, step: string }> {
  return [
    ...scenario.requests.map((request) => ({ journey: request.name, step: 'request' })),
    ...scenario.journeys.flatMap((journey) => journey.requestSteps.map((step) => ({ journey: journey.name, step: step.name })))
  ]
}

function checkOf (row: SmokeRow, target: string): CheckResult {
  const cell = row.targets[target]
  const what = row.step === 'request' ? `request "${row.journey}"` : `step "${row.step}" of journey "${row.journey}"`
  if (cell === undefined) {
    return { id: row.id, target, status: 'inconclusive', observed: 0, limit: 0, unit: 'failures', message: `${what} did not run on ${target}: an earlier step failed` }
  }
  if (cell.failures > 0) {
    return { id: row.id, target, status: 'fail', observed: cell.failures, limit: 0, unit: 'failures', message: `${what} failed on ${target}: ${cell.reason ?? 'failed'} (${cell.failures} of ${cell.runs})` }
  }
  return { id: row.id, target, status: 'pass', observed: 0, limit: 0, unit: 'failures', message: `${what} passed on ${target} (${cell.runs} of ${cell.runs})` }
}

/**
 * Runs every request and every journey once (or `iterations` times) against each target, one step at a time,
 * no load, and writes result.json with a check per step and target. The check between deploy and release.
 */
export async function runSmoke (scenario: LoadedScenario, options: SmokeOptions): Promise<SmokeOutcome> {
  const phases = planPhases(scenario.config.phases)
  const context = new RunContext(scenario, { ...options, command: 'smoke' }, phases, 'sequential', {})
  const rows = smokeSteps(scenario).map(({ journey, step }): SmokeRow => ({ id: `smoke.${journey}.${step}`, journey, step, targets: {} }))
  const byKey = new Map(rows.map((row) => [`${row.journey}\u0000${row.step}`, row]))
  try {
    await context.start()
    for (const session of context.sessions) {
      if (options.signal.aborted) break
      if (!session.usable) continue
      await session.inPhase('smoke', 'closed', () => runSmokeSteps(session.phaseContext, scenario.requests, scenario.journeys.length, options.iterations, (report: StepReport) => {
        const row = byKey.get(`${report.journey}\u0000${report.step}`)
        if (row === undefined) return
        const cell = row.targets[session.name] ?? (row.targets[session.name] = { runs: 0, failures: 0, reason: undefined })
        cell.runs++
        if (!report.ok) {
          cell.failures++
          cell.reason ??= report.reason
        }
      }))
    }
  } finally {
    await context.finish()
  }
  const ran = context.sessions.filter((session) => session.failure === undefined).map((session) => session.name)
  const checks = rows.flatMap((row) => ran.map((target) => checkOf(row, target)))
  // a smoke run judges expectations only: no load, so no SLO, leak or comparison verdicts
  const result = analyzeRun({ run: context.measured(), commandChecks: checks })
  return { result, runDir: context.runDir, contents: context.write(result), rows }
}
