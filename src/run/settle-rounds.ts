/**
 * `--until-settled`: after the planned rounds of one phase, keep adding ABBA rounds of it until every old-vs-new metric
 * the rounds measure is pass or fail (judged with always-valid intervals, so looking after every round is fair), or
 * until the run would overrun its maximum.
 */
import { performance } from 'node:perf_hooks'
import { timelineMetrics, type CompareTolerances } from '../analysis/compare-runs.js'
import { settleStatus } from '../analysis/compare/settle-status.js'
import type { PlannedPhase } from '../plan/phases.js'
import { roundSteps } from '../plan/schedule.js'
import type { RunContext } from './run-context.js'

/** What `--until-settled` asks for. */
export interface SettleOptions {
  /** Longest the whole run may take, in ms. */
  maxMs: number
  /** Rounds before the first look. */
  minRounds: number
  /** The phase to add rounds of (default: see settlePhase in plan/schedule.ts). */
  phase?: string | undefined
}

/** Where a settling run stands. */
export interface SettleOutcome {
  looks: number
  rounds: number
  settled: boolean
}

/** What the added rounds need to know of the run. */
export interface SettleInput {
  context: RunContext
  options: SettleOptions
  phase: PlannedPhase
  phaseIndex: number
  targets: readonly [string, string]
  sliceMs: number
  /** The ABBA turn of the next round. */
  turn: number
  phases: PlannedPhase[]
  tolerances: CompareTolerances
  seed: number
  /** Rounds around which the always-valid interval is narrowest. */
  plannedLooks: number
  /** performance.now() when the run began, and the load still planned after this phase, in ms. */
  startedMs: number
  remainingMs: number
  signal: AbortSignal
}

/** Looks after the planned rounds and after every added round; returns how many looks were taken and whether it settled. */
export async function settleRounds (input: SettleInput): Promise<SettleOutcome> {
  const { context, options, phase } = input
  const window: [number, number] = [0, Math.min(input.sliceMs, phase.durationMs)]
  const roundMs = 2 * (window[1] - window[0])
  let turn = input.turn
  let looks = 0
  for (;;) {
    await context.flushNow()
    const metrics = timelineMetrics({
      lines: context.lines, old: input.targets[0], new: input.targets[1], schedule: 'interleaved', phases: input.phases, intervalMs: context.intervalMs,
      sliceMs: input.sliceMs, tolerances: input.tolerances, seed: input.seed, sequential: { plannedLooks: input.plannedLooks, looks: looks + 1 }
    })
    const rounds = metrics.find((metric) => metric.name === 'p50')?.pairs ?? 0
    if (rounds >= options.minRounds) {
      looks++
      const status = settleStatus(metrics, rounds)
      context.options.progress.message(status.line)
      if (status.settled) return { looks, rounds, settled: true }
    }
    if (input.signal.aborted) return { looks, rounds, settled: false }
    if (performance.now() - input.startedMs + roundMs + input.remainingMs > options.maxMs) {
      context.options.progress.message(`settle: stopped adding rounds at ${rounds}: one more would pass the run's maximum of ${Math.round(options.maxMs / 1000)} s`)
      return { looks, rounds, settled: false }
    }
    for (const step of roundSteps(phase, input.phaseIndex, window, input.targets, turn++)) {
      if (input.signal.aborted) break
      await context.runStep(step)
    }
  }
}
