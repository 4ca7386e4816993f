import { basename } from 'node:path'
import { analyzeRun } from '../analysis/analyze-run.js'
import { loadBaselineForCheck } from '../baseline/baseline-for-check.js'
import type { RunResult } from '../core/result-types.js'
import type { RunDirContents } from '../rundir/read-run-dir.js'
import { planPhases, type PlannedPhase } from '../plan/phases.js'
import { defaultSliceMs, planSchedule, segmentMs, type ScheduleMode, type ScheduleStep } from '../plan/schedule.js'
import type { LoadedScenario } from '../scenario/load.js'
import { RunContext, type RunContextOptions } from './run-context.js'

/** Options of `cutover run`. */
export interface RunOptions extends Omit<RunContextOptions, 'command'> {
  /** How targets share the plan; default: interleaved when every target is on this host, else concurrent. */
  schedule?: ScheduleMode | undefined
  sliceMs?: number | undefined
  command?: string
}

/** What a run produced: its result, its directory, and what its reports are drawn from. */
export interface RunOutcome {
  result: RunResult
  runDir: string
  contents: RunDirContents
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

/** Starts the targets, drives the schedule at them, samples every interval into the timeline, judges the run and writes result.json. */
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
      // every slice starts a fresh interval, so no timeline line mixes two slices (or a slice and the idle time after it)
      await context.flushNow()
      await Promise.all(step.segments.map((segment) => context.session(segment.target)?.runSegment(segment, describePhase(segment.phase))))
    }
  } finally {
    await context.finish()
  }
  const run = context.measured()
  const checks = scenario.config.checks
  const baseline = checks?.baseline
  const result = analyzeRun({
    run,
    slo: context.plan.slo,
    leak: context.leakInput(),
    compare: { lines: context.lines, phases, intervalMs: context.intervalMs, tolerances: checks?.compare ?? {} },
    ...(baseline === undefined
      ? {}
      : { baseline: { found: loadBaselineForCheck(baseline, scenario.dir, context.runDir, run.scenario.name), lines: context.lines, plan: context.plan, runDirName: basename(context.runDir) } })
  })
  return { result, runDir: context.runDir, contents: context.write(result) }
}
