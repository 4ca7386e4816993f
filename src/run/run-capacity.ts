import { measuredCeiling } from '../analysis/capacity-ceiling.js'
import { analyzeRun } from '../analysis/analyze-run.js'
import type { CheckResult } from '../core/result-types.js'
import { CapacitySearch, capacityDefaults, type CapacitySettings } from '../plan/capacity.js'
import type { LoadedScenario } from '../scenario/load.js'
import { runStep, type TargetSearch } from './capacity-step-run.js'
import { sharedCoresNote } from './generator-cores.js'
import { RunContext, type RunContextOptions } from './run-context.js'
import type { RunOutcome } from './run-scenario.js'

/** What `cutover capacity` produced. */
export type CapacityOutcome = RunOutcome

/** The scenario's `capacity` block with defaults: start 50 req/s, automatic steps (double, then bisect), 10 s per step, at most 20,000 req/s. */
export function capacitySettings (scenario: LoadedScenario): CapacitySettings {
  const block = scenario.config.capacity ?? {}
  return {
    start: block.start ?? capacityDefaults.start,
    step: block.step,
    stepDurationMs: block.stepDuration ?? capacityDefaults.stepDurationMs,
    max: block.max ?? capacityDefaults.max,
    ceilingHolds: block.ceilingHolds ?? capacityDefaults.ceilingHolds
  }
}

/**
 * `cutover capacity`: raises the open-model rate step by step for each target until the SLO or the error budget
 * breaks. Targets take turns step by step (in ABBA order), so drift of the machine falls on all of them.
 */
export async function runCapacity (scenario: LoadedScenario, options: Omit<RunContextOptions, 'command'>): Promise<CapacityOutcome> {
  const settings = capacitySettings(scenario)
  const context = new RunContext(scenario, { ...options, command: 'capacity' }, [], 'interleaved', {})
  const searches: TargetSearch[] = context.sessions.map((session) => ({ session, search: new CapacitySearch(settings), curve: [], lastRate: 0 }))
  const shared = sharedCoresNote(scenario, context.sessions.map((session) => session.name))
  if (shared !== undefined) options.progress.message(shared)
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
  // the steps are meant to break the SLO: checks are about the knees, not the whole run (no SLO checks); of the
  // comparison only the knees count, since the other metrics mix every step
  const run = context.measured()
  const checks: CheckResult[] = []
  for (const target of searches) {
    const summary = run.targets[target.session.name]
    if (summary === undefined) continue
    const found = target.search.result()
    const behind = target.curve.filter((step) => step.limitedBy === 'generator').map((step) => step.throughput)
    const ceiling = found.limitedBy === 'generator' && behind.length > 0 ? Math.round(Math.max(...behind)) : undefined
    const measured = measuredCeiling(target.curve)
    summary.capacity = {
      maxRps: found.maxRps,
      limitedBy: found.limitedBy,
      bracket: found.bracket,
      curve: target.curve,
      ...(ceiling === undefined ? {} : { generatorCeilingRps: ceiling }),
      ...(measured === undefined ? {} : { ceiling: measured })
    }
    checks.push(capacityCheck(target.session.name, found, settings.max, ceiling))
  }
  const result = analyzeRun({
    run,
    commandChecks: checks,
    leak: context.leakInput(),
    compare: { lines: [], phases: [], intervalMs: context.intervalMs, tolerances: scenario.config.checks?.compare ?? {}, only: ['capacity'] }
  })
  return { result, runDir: context.runDir, contents: context.write(result) }
}

/** The `capacity` check of one target: the knee found, or why the search stopped where it did. */
function capacityCheck (target: string, found: ReturnType<CapacitySearch['result']>, max: number, ceiling: number | undefined): CheckResult {
  return {
    id: 'capacity',
    target,
    status: found.limitedBy === 'generator' ? 'warn' : 'pass',
    observed: found.maxRps,
    limit: max,
    unit: 'req/s',
    message: found.limitedBy === 'generator'
      ? `${found.maxRps > 0 ? `held ${found.maxRps} req/s; ` : ''}at ${found.bracket[1]} req/s the load generator fell behind on three tries, with the service's own latency within the SLO` +
        `${ceiling === undefined ? '' : ` (the generator got ${ceiling} req/s answered at most)`}: the service's limit is higher than cutover could measure on this machine (run cutover on another machine, or give it more CPU)`
      : found.limitedBy === 'max'
        ? `held every rate up to the search's max of ${max} req/s`
        : `held ${found.maxRps} req/s; ${found.bracket[1]} req/s broke on ${found.limitedBy}`
  }
}
