/** Whether a run is comparable with its baseline at all: the same kind of machine, the same load plan. */

import type { EnvironmentInfo } from '../../core/environment.js'
import type { CheckResult } from '../../core/result-types.js'
import type { PlannedPhase } from '../../plan/phases.js'
import type { RunSnapshot } from './baseline-format.js'

const nodeMajor = (version: string): string => /^v?(\d+)/.exec(version)?.[1] ?? version

/** What differs between the baseline's machine and this run's: CPU model, cores, Node major, cutover version, platform. */
export function environmentDifferences (baseline: EnvironmentInfo, current: EnvironmentInfo): string[] {
  const differences: string[] = []
  if (baseline.cpuModel !== current.cpuModel) differences.push(`CPU "${baseline.cpuModel}" → "${current.cpuModel}"`)
  if (baseline.cores !== current.cores) differences.push(`${baseline.cores} → ${current.cores} cores`)
  if (nodeMajor(baseline.node) !== nodeMajor(current.node)) differences.push(`Node ${baseline.node} → ${current.node}`)
  if (baseline.cutover !== current.cutover) differences.push(`cutover ${baseline.cutover} → ${current.cutover}`)
  if (baseline.platform !== current.platform || baseline.arch !== current.arch) differences.push(`${baseline.platform}/${baseline.arch} → ${current.platform}/${current.arch}`)
  return differences
}

/** `baseline.environment`: a warning naming what differs, or a pass when the machines match. */
export function environmentCheck (baseline: EnvironmentInfo, current: EnvironmentInfo): CheckResult {
  const differences = environmentDifferences(baseline, current)
  if (differences.length === 0) {
    return {
      id: 'baseline.environment',
      status: 'pass',
      observed: 0,
      limit: 0,
      unit: 'differences',
      message: `same machine profile as the baseline: ${current.cpuModel}, ${current.cores} cores, Node ${nodeMajor(current.node)}, cutover ${current.cutover}, ${current.platform}/${current.arch}`
    }
  }
  return {
    id: 'baseline.environment',
    status: 'warn',
    observed: differences.length,
    limit: 0,
    unit: 'differences',
    message: `this run's environment differs from the baseline's (baseline → this run: ${differences.join('; ')}): the comparison may be unfair — ` +
      'run where the baseline was saved, or save a new baseline on this machine'
  }
}

function describePhase (phase: PlannedPhase): string {
  const seconds = `${phase.durationMs / 1000}s`
  if (phase.kind === 'closed') return `${phase.name} ${seconds} ${phase.connections} connections`
  return `${phase.name} ${seconds} ${phase.fromRate === phase.toRate ? `${phase.fromRate}/s` : `${phase.fromRate}→${phase.toRate}/s`}`
}

/** What changed in the load plan: phases added, removed or reshaped, and the sampling interval. */
export function planDifferences (baseline: RunSnapshot['plan'], current: RunSnapshot['plan']): string[] {
  const differences: string[] = []
  if (baseline.intervalMs !== current.intervalMs) differences.push(`sampling interval ${baseline.intervalMs} → ${current.intervalMs} ms`)
  const before = baseline.phases.map(describePhase)
  const after = current.phases.map(describePhase)
  if (before.join(' | ') !== after.join(' | ')) differences.push(`phases [${before.join(', ')}] → [${after.join(', ')}]`)
  return differences
}

/** `baseline.plan`: a warning when the scenario's load plan changed since the baseline was saved; undefined when it did not. */
export function planCheck (baseline: RunSnapshot['plan'], current: RunSnapshot['plan']): CheckResult | undefined {
  const differences = planDifferences(baseline, current)
  if (differences.length === 0) return undefined
  return {
    id: 'baseline.plan',
    status: 'warn',
    observed: differences.length,
    limit: 0,
    unit: 'differences',
    message: `the load plan changed since the baseline was saved (${differences.join('; ')}): latency and throughput depend on the load, so the comparison may be unfair — save a new baseline from a run of this plan`
  }
}
