import type { PlannedPhase } from './phases.js'

/** How several targets share the load plan. */
export type ScheduleMode = 'interleaved' | 'concurrent' | 'sequential'

/** One target running part of one phase. */
export interface Segment {
  target: string
  /** Index of the phase in the scenario. */
  phaseIndex: number
  /** The whole phase. */
  phase: PlannedPhase
  /** The slice of the phase to run, in ms from the phase start: [from, to). Whole phases are [0, duration). */
  window: [fromMs: number, toMs: number]
}

/** Segments that run at the same time; steps run one after the other. */
export interface ScheduleStep {
  segments: Segment[]
}

/** Default slice length of the interleaved schedule (why 2.5 s: README, "Old vs new"). */
export const defaultSliceMs = 2500

/** Length of a segment's window, in ms. */
export function segmentMs (segment: Segment): number {
  return segment.window[1] - segment.window[0]
}

/** Cuts a phase into slices of about `sliceMs`; the last slice takes the remainder (never a sliver). */
export function sliceBounds (durationMs: number, sliceMs: number): Array<[number, number]> {
  const count = Math.max(1, Math.round(durationMs / sliceMs))
  return Array.from({ length: count }, (_, i) => [Math.round((durationMs * i) / count), Math.round((durationMs * (i + 1)) / count)])
}

/**
 * The order in which targets get load.
 * - sequential: each target runs every phase, one target after the other.
 * - concurrent: every target runs the same phase at the same time (services on separate hosts).
 * - interleaved: each phase is cut into short slices, and the targets take turns slice by slice in an
 *   ABBA pattern, so slow drift of the machine (thermal, noisy neighbours, caches) falls on both alike.
 */
export function planSchedule (phases: PlannedPhase[], targets: string[], mode: ScheduleMode, sliceMs = defaultSliceMs): ScheduleStep[] {
  const whole = (target: string, phase: PlannedPhase, phaseIndex: number): Segment => ({ target, phaseIndex, phase, window: [0, phase.durationMs] })
  if (mode === 'sequential' || targets.length <= 1) {
    return targets.flatMap((target) => phases.map((phase, index) => ({ segments: [whole(target, phase, index)] })))
  }
  if (mode === 'concurrent') {
    return phases.map((phase, index) => ({ segments: targets.map((target) => whole(target, phase, index)) }))
  }
  const steps: ScheduleStep[] = []
  let turn = 0
  phases.forEach((phase, phaseIndex) => {
    for (const window of sliceBounds(phase.durationMs, sliceMs)) steps.push(...roundSteps(phase, phaseIndex, window, targets, turn++))
  })
  return steps
}

/** One round of the interleaved schedule: each target runs `window` of the phase in turn, reversed every other round (ABBA). */
export function roundSteps (phase: PlannedPhase, phaseIndex: number, window: [number, number], targets: readonly string[], turn: number): ScheduleStep[] {
  const order = turn % 2 === 0 ? targets : [...targets].reverse()
  return order.map((target) => ({ segments: [{ target, phaseIndex, phase, window }] }))
}

/**
 * The phase `--until-settled` adds rounds of: the one named, else the longest open-model phase at a constant rate
 * that is compared (not a warm-up); undefined when there is none.
 */
export function settlePhase (phases: readonly PlannedPhase[], named?: string): PlannedPhase | undefined {
  if (named !== undefined) return phases.find((phase) => phase.name === named)
  const steady = phases.filter((phase) => phase.kind === 'open' && phase.fromRate === phase.toRate && phase.fromRate > 0 && !/^warm-?up$/i.test(phase.name))
  return steady.reduce<PlannedPhase | undefined>((longest, phase) => longest === undefined || phase.durationMs > longest.durationMs ? phase : longest, undefined)
}
