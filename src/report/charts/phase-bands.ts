/** Background bands for the load phases, computed from the timeline of every target. */
import type { TimelineLine } from '../../rundir/timeline-line.js'
import type { BandSpec } from './chart-spec.js'
import { phaseBandColor } from './palette.js'

/** A stretch of the run in one phase, in seconds since the start. */
export interface PhaseSpan {
  phase: string
  fromSec: number
  toSec: number
}

/**
 * The run's phases over time. At each sampling instant the phase is the one a
 * target was loading in; instants when every target was idle (the other half of
 * an interleaved slice, a pause) stay in the phase before, so a phase is one band.
 */
export function phaseSpans (lines: readonly TimelineLine[]): PhaseSpan[] {
  const byTime = new Map<number, TimelineLine[]>()
  for (const line of lines) {
    const group = byTime.get(line.t)
    if (group === undefined) byTime.set(line.t, [line])
    else group.push(line)
  }
  const times = [...byTime.keys()].sort((a, b) => a - b)
  const spans: PhaseSpan[] = []
  let previousT: number | undefined
  for (const t of times) {
    const group = byTime.get(t) ?? []
    const active = group.find((line) => line.phase !== 'idle' && line.phase !== '')
    const intervalSec = (group[0]?.intervalMs ?? 1000) / 1000
    const fromSec = previousT ?? Math.max(0, t - intervalSec)
    previousT = t
    const last = spans[spans.length - 1]
    if (active === undefined || active.phase === last?.phase) {
      if (last !== undefined) last.toSec = t
      continue
    }
    spans.push({ phase: active.phase, fromSec, toSec: t })
  }
  return spans
}

/** Bands for the charts, one colour per distinct phase name, x in the chart's time unit. */
export function phaseBands (spans: readonly PhaseSpan[], divisor: number): BandSpec[] {
  const names: string[] = []
  return spans.map((span) => {
    let index = names.indexOf(span.phase)
    if (index === -1) index = names.push(span.phase) - 1
    return { from: span.fromSec / divisor, to: span.toSec / divisor, label: span.phase, color: phaseBandColor(index) }
  })
}
