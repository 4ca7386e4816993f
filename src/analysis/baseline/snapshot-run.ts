/** A run reduced to what a baseline stores and what a comparison with one needs. */

import type { RunResult } from '../../core/result-types.js'
import type { PlannedPhase } from '../../plan/phases.js'
import type { TimelineLine } from '../../rundir/timeline-line.js'
import type { RunPlanFile } from '../../rundir/run-plan-file.js'
import type { BaselineTarget, RunSnapshot } from './baseline-format.js'
import { targetSeries } from './baseline-series.js'

/** The load plan of a run without run.json: each phase as its summaries describe it (ramps as their mean rate). */
export function phasesFromResult (result: Pick<RunResult, 'targets'>): PlannedPhase[] {
  const phases = new Map<string, PlannedPhase>()
  for (const target of Object.values(result.targets)) {
    for (const phase of target.phases) {
      if (phases.has(phase.name)) continue
      phases.set(phase.name, phase.model === 'closed'
        ? { kind: 'closed', name: phase.name, durationMs: phase.durationMs, connections: phase.connections ?? 1 }
        : { kind: 'open', name: phase.name, durationMs: phase.durationMs, fromRate: phase.targetRate ?? 0, toRate: phase.targetRate ?? 0, maxInFlight: 0 })
    }
  }
  return [...phases.values()]
}

/** What one run says about itself and each target, with its per-interval series capped for storage. */
export function snapshotRun (input: { result: RunResult, lines: readonly TimelineLine[], plan?: RunPlanFile | undefined, runDirName: string }): RunSnapshot {
  const { result, lines } = input
  const phases = input.plan?.phases ?? phasesFromResult(result)
  const intervalMs = input.plan?.settings.intervalMs ?? result.settings.intervalMs
  const targets: Record<string, BaselineTarget> = {}
  for (const [name, summary] of Object.entries(result.targets)) {
    targets[name] = {
      url: summary.url,
      requests: summary.requests,
      throughput: summary.throughput,
      latencyMs: summary.latencyMs,
      generator: summary.generator,
      histogram: summary.histogram,
      phases: summary.phases,
      events: summary.events,
      ...(summary.resources === undefined ? {} : { resources: summary.resources }),
      ...(summary.leak === undefined ? {} : { leak: summary.leak }),
      ...(summary.capacity === undefined ? {} : { capacity: summary.capacity }),
      series: targetSeries(lines, name, phases, intervalMs)
    }
  }
  return {
    scenario: { name: result.scenario.name, ...(result.scenario.description === undefined ? {} : { description: result.scenario.description }) },
    source: {
      runDir: input.runDirName,
      startedAt: result.startedAt,
      endedAt: result.endedAt,
      command: result.command,
      status: result.status,
      verdict: result.verdict,
      schedule: result.schedule,
      seed: result.settings.seed
    },
    environment: result.environment,
    plan: { intervalMs, phases },
    targets
  }
}
