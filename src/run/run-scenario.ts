import { compareTargets } from '../analysis/compare-runs.js'
import { applyBaselineCheck } from '../baseline/apply-baseline-check.js'
import type { RunResult } from '../core/result-types.js'
import { readTimeline } from '../report/rebuild-result.js'
import { planPhases, type PlannedPhase } from '../plan/phases.js'
import { defaultSliceMs, planSchedule, segmentMs, type ScheduleMode, type ScheduleStep } from '../plan/schedule.js'
import type { LoadedScenario } from '../scenario/load.js'
import { RunContext, type RunContextOptions } from './run-context.js'

export { writeJsonAtomic } from './write-json.js'

/** Options of `cutover run`. */
export interface RunOptions extends Omit<RunContextOptions, 'command'> {
  /** How targets share the plan; default: interleaved when every target is on this host, else concurrent. */
  schedule?: ScheduleMode | undefined
  sliceMs?: number | undefined
  command?: string
}

/** What a run produced. */
export interface RunOutcome {
  result: RunResult
  runDir: string
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]', '::1'])

/** Interleaved when every target runs on this machine (their drift is shared), concurrent when they are elsewhere. */
export function defaultSchedule (scenario: LoadedScenario, names: string[]): ScheduleMode {
  const local = names.every((name) => scenario.config.targets[name]?.start !== undefined || loopbackHosts.has(scenario.targets[name]?.url.hostname ?? ''))
  return local ? 'interleaved' : 'concurrent'
}

/** `300 req/s`, `50→400 req/s`, `32 connections`. */
export function describePhase (phase: PlannedPhase): string {
  if (phase.kind === 'closed') return `${phase.connections} connections`
  return phase.fromRate === phase.toRate ? `${phase.fromRate} req/s` : `${Math.round(phase.fromRate)}→${Math.round(phase.toRate)} req/s`
}

function stepDurationMs (step: ScheduleStep): number {
  return Math.max(...step.segments.map(segmentMs), 0)
}

/** Starts the targets, drives the schedule at them, samples every interval into the timeline, and writes result.json. */
export async function runScenario (scenario: LoadedScenario, options: RunOptions): Promise<RunOutcome> {
  const phases = planPhases(scenario.config.phases)
  const names = Object.keys(scenario.config.targets).filter((name) => options.only === undefined || options.only.includes(name))
  const schedule = names.length <= 1 ? 'sequential' : options.schedule ?? defaultSchedule(scenario, names)
  const sliceMs = options.sliceMs ?? defaultSliceMs
  const steps = planSchedule(phases, names, schedule, sliceMs)
  const context = new RunContext(scenario, { ...options, command: options.command ?? 'run' }, phases, schedule, schedule === 'interleaved' ? { sliceMs } : {})
  context.totalMs = steps.reduce((sum, step) => sum + stepDurationMs(step), 0)
  try {
    await context.start()
    for (const step of steps) {
      if (options.signal.aborted) break
      await Promise.all(step.segments.map((segment) => context.session(segment.target)?.runSegment(segment, describePhase(segment.phase))))
    }
  } finally {
    await context.finish()
  }
  const result = context.writeResult([], (result) => {
    const compared = compareTargets({
      result,
      lines: readTimeline(context.runDir),
      phases,
      intervalMs: context.intervalMs,
      tolerances: scenario.config.checks?.compare ?? {},
      seed: context.plan.settings.seed
    })
    if (compared !== undefined) {
      result.comparison = compared.comparison
      result.checks.push(...compared.checks)
    }
    const baseline = scenario.config.checks?.baseline
    if (baseline !== undefined) {
      const against = applyBaselineCheck(context.runDir, result, baseline, scenario.dir)
      if (against.baseline !== undefined) result.baseline = against.baseline
      result.checks.push(...against.checks)
    }
  })
  return { result, runDir: context.runDir }
}
