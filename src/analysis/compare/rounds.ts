/**
 * Rounds of the paired comparison: under the interleaved schedule, old's and new's i-th slices of a phase ran the same
 * part of the plan one after the other (ABBA: new second in one round, first in the next).
 */
import type { TimelineLine } from '../../rundir/timeline-line.js'
import { figuresOf, type SliceFigures } from './slices.js'

/** Old's and new's slice of one part of the plan. */
export interface Round {
  phase: string
  old: SliceFigures
  new: SliceFigures
  /** True when new ran before old in this round. */
  newFirst: boolean
}

/** Pairs the slices of each phase in `phases` by their order within the phase; unmatched slices are left out. */
export function pairRounds (old: readonly SliceFigures[], next: readonly SliceFigures[], phases: ReadonlySet<string>): Round[] {
  const rounds: Round[] = []
  for (const phase of phases) {
    const olds = old.filter((slice) => slice.phase === phase)
    const news = next.filter((slice) => slice.phase === phase)
    for (let i = 0; i < Math.min(olds.length, news.length); i++) {
      const o = olds[i] as SliceFigures
      const n = news[i] as SliceFigures
      rounds.push({ phase, old: o, new: n, newFirst: n.startSec < o.startSec })
    }
  }
  return rounds
}

/** One paired observation of a metric: log(new / old) of one round (new − old for rates judged in points), and the round's order. */
export interface Contrast {
  value: number
  newFirst: boolean
}

/**
 * The contrast of `value` in every round where both sides have a finite value: log(new/old) on the ratio scale (both
 * positive), new − old on the difference scale (failure rates, judged in points).
 */
export function roundContrasts (rounds: readonly Round[], value: (slice: SliceFigures) => number, scale: 'ratio' | 'difference' = 'ratio'): Contrast[] {
  const contrasts: Contrast[] = []
  for (const round of rounds) {
    const o = value(round.old)
    const n = value(round.new)
    if (!Number.isFinite(o) || !Number.isFinite(n)) continue
    if (scale === 'difference') contrasts.push({ value: n - o, newFirst: round.newFirst })
    else if (o > 0 && n > 0) contrasts.push({ value: Math.log(n / o), newFirst: round.newFirst })
  }
  return contrasts
}

/** Fewest requests a time window should hold on each side, so its percentiles are not a handful of requests. */
export const windowRequests = 200

/**
 * Old and new side by side (the concurrent schedule): their lines of the same sampling moment paired, consecutive
 * moments of one phase merged into windows until each side holds 200 requests; a window is one paired unit.
 */
export function pairWindows (lines: readonly TimelineLine[], old: string, next: string, phases: ReadonlySet<string>): Round[] {
  const key = (line: TimelineLine): string => line.t.toFixed(2)
  const newAt = new Map(lines.filter((line) => line.target === next).map((line) => [key(line), line]))
  const rounds: Round[] = []
  let group: { phase: string, old: TimelineLine[], new: TimelineLine[] } | undefined
  const close = (): void => {
    if (group === undefined) return
    const o = figuresOf(old, rounds.length + 1, group.old)
    const n = figuresOf(next, rounds.length + 1, group.new)
    if (o !== undefined && n !== undefined && o.answered >= windowRequests && n.answered >= windowRequests) rounds.push({ phase: group.phase, old: o, new: n, newFirst: false })
    group = undefined
  }
  for (const line of lines) {
    if (line.target !== old || !phases.has(line.phase)) continue
    const partner = newAt.get(key(line))
    if (partner === undefined || partner.phase !== line.phase) continue
    if (group !== undefined && group.phase !== line.phase) close()
    group ??= { phase: line.phase, old: [], new: [] }
    group.old.push(line)
    group.new.push(partner)
    const answered = (side: TimelineLine[]): number => side.reduce((sum, l) => sum + l.requests - l.generator.dropped, 0)
    if (answered(group.old) >= windowRequests && answered(group.new) >= windowRequests) close()
  }
  close()
  return rounds
}
