import type { ScenarioConfig } from '../scenario/schema/scenario.js'

/** One phase as a driver runs it. */
export type PlannedPhase =
  | { kind: 'open', name: string, durationMs: number, fromRate: number, toRate: number, maxInFlight: number }
  | { kind: 'closed', name: string, durationMs: number, connections: number }

/** Default limit of outstanding open-model requests before arrivals are dropped. */
export const defaultMaxInFlight = 1000

/** Turns the scenario's phases into planned phases with their models resolved. */
export function planPhases (phases: ScenarioConfig['phases']): PlannedPhase[] {
  return phases.map((phase) => {
    if (phase.connections !== undefined) {
      return { kind: 'closed', name: phase.name, durationMs: phase.duration, connections: phase.connections }
    }
    const rate = phase.rate ?? 0
    const [fromRate, toRate] = typeof rate === 'number' ? [rate, rate] : [rate.from, rate.to]
    return { kind: 'open', name: phase.name, durationMs: phase.duration, fromRate, toRate, maxInFlight: phase.maxInFlight ?? defaultMaxInFlight }
  })
}

/** `300 req/s`, `50→400 req/s`, `32 connections`. */
export function describePhase (phase: PlannedPhase): string {
  if (phase.kind === 'closed') return `${phase.connections} connections`
  return phase.fromRate === phase.toRate ? `${phase.fromRate} req/s` : `${Math.round(phase.fromRate)}→${Math.round(phase.toRate)} req/s`
}

/** Total planned duration, in ms. */
export function totalDurationMs (phases: PlannedPhase[]): number {
  return phases.reduce((sum, phase) => sum + phase.durationMs, 0)
}
