import { basename } from 'node:path'
import { CutoverError } from '../core/errors.js'
import { analyzeRun } from '../analysis/analyze-run.js'
import { leakSoakAdvice } from '../analysis/leak/soak-length.js'
import { loadBaselineForCheck } from '../baseline/baseline-for-check.js'
import type { RunResult } from '../core/result-types.js'
import type { RunDirContents } from '../rundir/read-run-dir.js'
import { planPhases, type PlannedPhase } from '../plan/phases.js'
import { performance } from 'node:perf_hooks'
import { comparedPair } from '../analysis/compare-runs.js'
import { defaultSliceMs, planSchedule, segmentMs, settlePhase, type ScheduleMode, type ScheduleStep } from '../plan/schedule.js'
import type { LoadedScenario } from '../scenario/load.js'
import { RunContext, type RunContextOptions } from './run-context.js'
import { settleRounds, type SettleOptions, type SettleOutcome } from './settle-rounds.js'
import type { LiveMetrics } from '../report/live/live-metrics.js'
import { LiveFeed } from './live-feed.js'

/** Options of `cutover run`. */
export interface RunOptions extends Omit<RunContextOptions, 'command'> {
  /** How targets share the plan; default: interleaved when every target is on this host, else concurrent. */
  schedule?: ScheduleMode | undefined
  sliceMs?: number | undefined
  command?: string
  /** `--until-settled`: add rounds of one phase until old vs new settles (interleaved schedule only). */
  settle?: SettleOptions | undefined
  /** `--metrics`: fed every interval and the checks judged as the run goes; given result.json's checks at the end. */
  liveMetrics?: LiveMetrics | undefined
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

function stepDurationMs (step: ScheduleStep): number {
  return Math.max(...step.segments.map(segmentMs), 0)
}

/** Where `--until-settled` adds its rounds: after the last planned step of the settling phase. */
interface SettlingPlan {
  options: SettleOptions
  phase: PlannedPhase
  phaseIndex: number
  lastStep: number
  targets: [string, string]
  plannedLooks: number
}

/** The settling plan of `--until-settled`; undefined when it was not asked for, or cannot be done (said on progress). */
function settlingPlan (settle: SettleOptions | undefined, phases: PlannedPhase[], names: string[], schedule: ScheduleMode, steps: ScheduleStep[], progress: RunOptions['progress']): SettlingPlan | undefined {
  if (settle === undefined) return undefined
  const pair = comparedPair(names)
  if (pair === undefined || schedule !== 'interleaved') {
    progress.message('--until-settled needs two targets on the interleaved schedule: the run keeps to its plan')
    return undefined
  }
  const phase = settlePhase(phases, settle.phase)
  if (phase === undefined) {
    progress.message('--until-settled found no constant-rate phase to add rounds of (name one with settle.phase): the run keeps to its plan')
    return undefined
  }
  const phaseIndex = phases.indexOf(phase)
  const inPhase = steps.flatMap((step, index) => step.segments.some((segment) => segment.phaseIndex === phaseIndex) ? [index] : [])
  const plannedRounds = inPhase.length / names.length
  return { options: settle, phase, phaseIndex, lastStep: inPhase.at(-1) ?? -1, targets: [pair.old, pair.new], plannedLooks: Math.max(2 * settle.minRounds, plannedRounds) }
}

/** Starts the targets, drives the schedule at them, samples every interval into the timeline, judges the run and writes result.json. */
export async function runScenario (scenario: LoadedScenario, options: RunOptions): Promise<RunOutcome> {
  const phases = planPhases(scenario.config.phases)
  const names = Object.keys(scenario.config.targets).filter((name) => options.only === undefined || options.only.includes(name))
  if (options.shard !== undefined) checkShard(scenario, names, options)
  const schedule = names.length <= 1 ? 'sequential' : options.schedule ?? defaultSchedule(scenario, names)
  const sliceMs = options.sliceMs ?? defaultSliceMs
  const steps = planSchedule(phases, names, schedule, sliceMs)
  const context = new RunContext(scenario, { ...options, command: options.command ?? 'run' }, phases, schedule, schedule === 'interleaved' ? { sliceMs } : {})
  const soakAdvice = scenario.config.checks?.leak === undefined ? undefined : leakSoakAdvice(phases)
  if (soakAdvice !== undefined) options.progress.message(soakAdvice)
  context.totalMs = steps.reduce((sum, step) => sum + stepDurationMs(step), 0)
  const settling = settlingPlan(options.settle, phases, names, schedule, steps, options.progress)
  let settled: SettleOutcome | undefined
  const startedMs = performance.now()
  const live = options.liveMetrics
  const feed = live === undefined ? undefined : LiveFeed.start({ context, live, phases, tolerances: scenario.config.checks?.compare ?? {} })
  try {
    await context.start()
    // shards keep every step to the clock they share, so they switch phases and slices at the same moments
    let dueMs = options.shard === undefined ? undefined : context.runStartMs
    for (const [index, step] of steps.entries()) {
      if (options.signal.aborted) break
      // every slice starts a fresh interval, so no timeline line mixes two slices (or a slice and the idle time after it)
      if (index > 0) await context.flushNow()
      await context.runStep(step, dueMs)
      if (dueMs !== undefined) dueMs += stepDurationMs(step)
      if (settling !== undefined && index === settling.lastStep) {
        settled = await settleRounds({
          context, options: settling.options, phase: settling.phase, phaseIndex: settling.phaseIndex, targets: settling.targets, sliceMs,
          // the ABBA turn of the next round: rounds so far, each a step per target
          turn: (index + 1) / names.length,
          phases, tolerances: scenario.config.checks?.compare ?? {}, seed: context.plan.settings.seed, plannedLooks: settling.plannedLooks,
          startedMs, remainingMs: steps.slice(index + 1).reduce((sum, later) => sum + stepDurationMs(later), 0), signal: options.signal
        })
      }
    }
  } finally {
    try {
      await context.finish()
    } finally {
      await feed?.stop()
    }
  }
  const measured = context.measured()
  const run = settled === undefined || settling === undefined
    ? measured
    : { ...measured, settle: { phase: settling.phase.name, rounds: settled.rounds, looks: settled.looks, settled: settled.settled, maxMs: settling.options.maxMs } }
  const checks = scenario.config.checks
  const baseline = checks?.baseline
  const result = analyzeRun({
    run,
    slo: context.plan.slo,
    leak: context.leakInput(),
    compare: {
      lines: context.lines,
      phases,
      intervalMs: context.intervalMs,
      tolerances: checks?.compare ?? {},
      // looked at as it went: the final verdicts use the same always-valid intervals
      ...(settled === undefined || settling === undefined ? {} : { sequential: { plannedLooks: settling.plannedLooks, looks: Math.max(1, settled.looks) } })
    },
    ...(baseline === undefined
      ? {}
      : { baseline: { found: loadBaselineForCheck(baseline, scenario.dir, context.runDir, run.scenario.name), lines: context.lines, plan: context.plan, runDirName: basename(context.runDir) } })
  })
  const contents = context.write(result)
  // after result.json is written: a scrape that sees the run finished finds the file in place
  live?.finish(result)
  return { result, runDir: context.runDir, contents }
}

/** Refuses what a shard cannot do: start services itself, start after its shards began, or add rounds on its own. */
function checkShard (scenario: LoadedScenario, names: string[], options: RunOptions): void {
  const shard = options.shard
  if (shard === undefined) return
  if (shard.share.count > 1) {
    const started = names.filter((name) => scenario.config.targets[name]?.start !== undefined)
    if (started.length > 0) {
      throw new CutoverError('SHARD_CONFIG', `--shard: target ${started.map((name) => `"${name}"`).join(', ')} has a start: command, and every shard would start its own copy`, {
        hint: 'run the services once, outside cutover, and give the targets a url: (and a monitor: to sample their CPU and memory)'
      })
    }
  }
  if (options.settle !== undefined) throw new CutoverError('SHARD_CONFIG', '--until-settled cannot run in shards: each would add rounds on its own', { hint: 'run the planned rounds in shards, or settle in a single run' })
  const lateMs = Date.now() - shard.startAt.getTime()
  if (lateMs > 1000) {
    throw new CutoverError('SHARD_CONFIG', `--start-at ${shard.startAt.toISOString()} was ${Math.round(lateMs / 1000)} s ago: this shard would miss the start its shards share`, {
      hint: 'give every shard a start time far enough ahead for all of them to be running, e.g. two minutes from now'
    })
  }
}
