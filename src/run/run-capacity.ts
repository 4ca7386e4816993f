import { judgeCapacityStep } from '../analysis/capacity-step.js'
import { compareTargets } from '../analysis/compare-runs.js'
import type { CapacityStep, CapacitySummary, RunResult } from '../core/result-types.js'
import { CapacitySearch, capacityDefaults, type CapacitySettings } from '../plan/capacity.js'
import { defaultMaxInFlight, type PlannedPhase } from '../plan/phases.js'
import type { LoadedScenario } from '../scenario/load.js'
import { RunContext, type RunContextOptions } from './run-context.js'
import type { TargetSession } from './target-session.js'

/** What `cutover capacity` produced. */
export interface CapacityOutcome {
  result: RunResult
  runDir: string
}

/** The capacity knees of new against old (the other metrics of a capacity run mix every step and are not compared). */
function compareKnees (result: RunResult, scenario: LoadedScenario): ReturnType<typeof compareTargets> {
  const compared = compareTargets({ result, lines: [], phases: [], intervalMs: 1000, tolerances: scenario.config.checks?.compare ?? {}, seed: result.settings.seed })
  if (compared === undefined) return undefined
  const keep = (name: string): boolean => name === 'capacity'
  return {
    comparison: { ...compared.comparison, metrics: compared.comparison.metrics.filter((m) => keep(m.name)) },
    checks: compared.checks.filter((check) => keep(check.id.replace('compare.', '')))
  }
}

/** Ramp into each new rate (2 s, or half a short step), so a step starts without a backlog. */
const rampMs = (stepDurationMs: number): number => Math.min(2000, Math.round(stepDurationMs / 2))

/** The scenario's `capacity` block with defaults: start 50 req/s, automatic steps (double, then bisect), 10 s per step, at most 20,000 req/s. */
export function capacitySettings (scenario: LoadedScenario): CapacitySettings {
  const block = scenario.config.capacity ?? {}
  return {
    start: block.start ?? capacityDefaults.start,
    step: block.step,
    stepDurationMs: block.stepDuration ?? capacityDefaults.stepDurationMs,
    max: block.max ?? capacityDefaults.max
  }
}

function stepPhases (from: number, to: number, stepDurationMs: number): [PlannedPhase, PlannedPhase] {
  const ramp: PlannedPhase = { kind: 'open', name: `ramp to ${to} req/s`, durationMs: rampMs(stepDurationMs), fromRate: from, toRate: to, maxInFlight: defaultMaxInFlight }
  const hold: PlannedPhase = { kind: 'open', name: `${to} req/s`, durationMs: stepDurationMs, fromRate: to, toRate: to, maxInFlight: defaultMaxInFlight }
  return [ramp, hold]
}

/** One target's search: its state, the curve so far, and the rate it last ran. */
interface TargetSearch {
  session: TargetSession
  search: CapacitySearch
  curve: CapacityStep[]
  lastRate: number
}

async function runStep (context: RunContext, target: TargetSearch, rate: number, settings: CapacitySettings): Promise<void> {
  const [ramp, hold] = stepPhases(Math.min(target.lastRate, rate), rate, settings.stepDurationMs)
  const session = target.session
  context.options.progress.message(`[${session.name}] trying ${rate} req/s`)
  await session.runSegment({ target: session.name, phaseIndex: 0, phase: ramp, window: [0, ramp.durationMs] }, `ramp to ${rate} req/s`)
  // the ramp's stragglers settle before the measured hold
  await context.flushNow()
  const holdStartSec = session.elapsedSec
  await session.runSegment({ target: session.name, phaseIndex: 0, phase: hold, window: [0, hold.durationMs] }, `${rate} req/s`)
  await context.flushNow()
  target.lastRate = rate
  const figures = session.phaseFigures(hold.name)
  if (figures === undefined || !session.usable) return
  const verdict = judgeCapacityStep(figures, context.plan.slo)
  const resources = session.resourcesSince(holdStartSec)
  target.curve.push({
    rate,
    throughput: figures.throughput,
    p99Ms: figures.latencyMs.p99,
    errorRate: figures.requests.total === 0 ? 0 : figures.requests.failed / figures.requests.total,
    ...(resources === undefined ? {} : { cpuPercent: Math.round(resources.cpuPercent * 10) / 10, rssBytes: Math.round(resources.rssBytes) }),
    passed: verdict.passed
  })
  context.options.progress.message(`[${session.name}] ${rate} req/s ${verdict.passed ? 'held' : `broke: ${verdict.detail}`}`)
  target.search.report(verdict.passed, verdict.limitedBy)
}

/**
 * `cutover capacity`: raises the open-model rate step by step for each target until the SLO or the error budget
 * breaks. Targets take turns step by step (in ABBA order), so drift of the machine falls on all of them.
 */
export async function runCapacity (scenario: LoadedScenario, options: Omit<RunContextOptions, 'command'>): Promise<CapacityOutcome> {
  const settings = capacitySettings(scenario)
  const context = new RunContext(scenario, { ...options, command: 'capacity' }, [], 'interleaved', {})
  const searches: TargetSearch[] = context.sessions.map((session) => ({ session, search: new CapacitySearch(settings), curve: [], lastRate: 0 }))
  try {
    await context.start()
    let round = 0
    for (;;) {
      if (options.signal.aborted) break
      const pending = searches.filter((s) => s.session.usable && s.search.next() !== undefined)
      if (pending.length === 0) break
      const order = round % 2 === 0 ? pending : [...pending].reverse()
      round++
      for (const target of order) {
        const rate = target.search.next()
        if (rate === undefined || options.signal.aborted) continue
        await runStep(context, target, rate, settings)
      }
    }
  } finally {
    await context.finish()
  }
  // the steps are meant to break the SLO: checks are about the knees, not the whole run
  const result = context.writeResult([], (result) => {
    for (const target of searches) {
      const summary = result.targets[target.session.name]
      if (summary === undefined) continue
      const found = target.search.result()
      const capacity: CapacitySummary = { maxRps: found.maxRps, limitedBy: found.limitedBy, bracket: found.bracket, curve: target.curve }
      summary.capacity = capacity
      result.checks.push({
        id: 'capacity',
        target: target.session.name,
        status: found.limitedBy === 'generator' ? 'warn' : 'pass',
        observed: found.maxRps,
        limit: settings.max,
        unit: 'req/s',
        message: found.limitedBy === 'generator'
          ? `held ${found.maxRps} req/s; above that the load generator fell behind, so the service's limit is higher than cutover could measure here`
          : found.limitedBy === 'max'
            ? `held every rate up to the search's max of ${settings.max} req/s`
            : `held ${found.maxRps} req/s; ${found.bracket[1]} req/s broke on ${found.limitedBy}`
      })
    }
    const compared = compareKnees(result, scenario)
    if (compared !== undefined) {
      result.comparison = compared.comparison
      result.checks.push(...compared.checks)
    }
  }, false)
  return { result, runDir: context.runDir }
}
