/** Scoring the four rules on the labelled synthetic corpus (test/support/leak/synthetic.ts). */
import type { LeakInput, LeakVerdict } from '../../src/analysis/leak/types.js'
import { isLeakKind, leakKinds, nonLeakKinds, syntheticSeries, type SyntheticKind } from '../../test/support/leak/synthetic.js'
import { accuracyOf, confusionOf, medianP90, proportion, type Accuracy, type Confusion } from './metrics.js'
import { answer, prefix, ruleNames, type RuleAnswers, type RuleName } from './rules.js'

/** MB/min → bytes/s. */
export const perMin = (mb: number): number => (mb * 1e6) / 60

/** One scored series. */
export interface Scored {
  kind: SyntheticKind
  seed: number
  leak: boolean
  /** Nominal leak rate, MB/min (0 for non-leaks). */
  rateMbMin: number
  input: LeakInput
  answers: RuleAnswers
}

/** What to generate. */
export interface CorpusSpec {
  kinds: readonly SyntheticKind[]
  /** Seeds firstSeed, firstSeed + 1, … (count of them per kind). */
  firstSeed: number
  count: number
  rateMbMin: number
  durationSec?: number
  withHeap?: boolean
}

/** Generates the series of a spec and scores every rule on each. */
export function scoreCorpus (spec: CorpusSpec): Scored[] {
  const scored: Scored[] = []
  for (const kind of spec.kinds) {
    for (let i = 0; i < spec.count; i++) {
      const seed = spec.firstSeed + i
      const series = syntheticSeries({
        kind,
        seed,
        leakBytesPerSec: perMin(spec.rateMbMin),
        ...(spec.durationSec === undefined ? {} : { durationSec: spec.durationSec }),
        withHeap: spec.withHeap !== false
      })
      const input: LeakInput = { samples: series.samples, memoryLimitBytes: series.memoryLimitBytes, restartsAtSec: series.restartsAtSec }
      scored.push({ kind, seed, leak: isLeakKind(kind), rateMbMin: isLeakKind(kind) ? spec.rateMbMin : 0, input, answers: answer(input) })
    }
  }
  return scored
}

/** One rule's confusion table over some scored series. */
export function confusion (scored: readonly Scored[], rule: RuleName): Confusion {
  return confusionOf(scored.map((s) => ({ leak: s.leak, flagged: s.answers.flags[rule] })))
}

/** Every rule's accuracy over some scored series. */
export function accuracies (scored: readonly Scored[]): Record<RuleName, { confusion: Confusion, accuracy: Accuracy }> {
  const out = {} as Record<RuleName, { confusion: Confusion, accuracy: Accuracy }>
  for (const rule of ruleNames) {
    const c = confusion(scored, rule)
    out[rule] = { confusion: c, accuracy: accuracyOf(c) }
  }
  return out
}

/** Share of the series of one kind that a rule flags, with its Wilson interval. */
export function flaggedShare (scored: readonly Scored[], kind: SyntheticKind, rule: RuleName): { value: number, ci: [number, number], k: number, n: number } {
  const ofKind = scored.filter((s) => s.kind === kind)
  const k = ofKind.filter((s) => s.answers.flags[rule]).length
  return { ...proportion(k, ofKind.length), k, n: ofKind.length }
}

/** How often the detector gave each verdict on one kind. */
export function verdictCounts (scored: readonly Scored[], kind: SyntheticKind): Record<LeakVerdict, number> {
  const counts: Record<LeakVerdict, number> = { leak: 0, saturating: 0, stable: 0, inconclusive: 0 }
  for (const s of scored) if (s.kind === kind) counts[s.answers.verdict]++
  return counts
}

/** Each rule's answer on each prefix of each series, checkpoint by checkpoint. */
export type PrefixFlags = Map<Scored, Record<RuleName, boolean[]>>

/** Runs every rule on the prefixes of every series (the soak as it stood at each checkpoint). */
export function prefixFlags (scored: readonly Scored[], checkpoints: readonly number[]): PrefixFlags {
  const out: PrefixFlags = new Map()
  for (const s of scored) {
    const row = {} as Record<RuleName, boolean[]>
    for (const rule of ruleNames) row[rule] = []
    for (const seconds of checkpoints) {
      const answers = answer(prefix(s.input, seconds))
      for (const rule of ruleNames) row[rule].push(answers.flags[rule])
    }
    out.set(s, row)
  }
  return out
}

/** Detection delay of one rule over leak series, per series that was flagged at all. */
export interface Delay {
  detected: number
  total: number
  median: number
  p90: number
}

/**
 * Delays of every rule on the leak series: `first`, the first checkpoint at
 * which the rule says leak; `settled`, the first checkpoint from which it says
 * leak at every later checkpoint too (series flagged at the last checkpoint only).
 */
export function delays (flags: PrefixFlags, checkpoints: readonly number[], mode: 'first' | 'settled'): Map<SyntheticKind | 'all', Record<RuleName, Delay>> {
  const leaks = [...flags.keys()].filter((s) => s.leak)
  const at = (s: Scored, rule: RuleName): number | undefined => {
    const row = flags.get(s)?.[rule] ?? []
    if (mode === 'first') {
      const i = row.indexOf(true)
      return i < 0 ? undefined : checkpoints[i]
    }
    if (row[row.length - 1] !== true) return undefined
    let i = row.length - 1
    while (i > 0 && row[i - 1] === true) i--
    return checkpoints[i]
  }
  const summarise = (group: readonly Scored[]): Record<RuleName, Delay> => {
    const out = {} as Record<RuleName, Delay>
    for (const rule of ruleNames) {
      const times = group.map((s) => at(s, rule)).filter((t): t is number => t !== undefined)
      out[rule] = { detected: times.length, total: group.length, ...medianP90(times) }
    }
    return out
  }
  const result = new Map<SyntheticKind | 'all', Record<RuleName, Delay>>()
  for (const kind of leakKinds) {
    const group = leaks.filter((s) => s.kind === kind)
    if (group.length > 0) result.set(kind, summarise(group))
  }
  result.set('all', summarise(leaks))
  return result
}

/** Pooled recall and false-positive rate of every rule at each checkpoint, and the detector's worst non-leak class there. */
export function prefixAccuracy (flags: PrefixFlags, checkpoints: readonly number[]): Array<{ seconds: number, byRule: Record<RuleName, Accuracy>, worst: { kind: SyntheticKind, rate: number } }> {
  const all = [...flags.entries()]
  return checkpoints.map((seconds, i) => {
    const byRule = {} as Record<RuleName, Accuracy>
    for (const rule of ruleNames) byRule[rule] = accuracyOf(confusionOf(all.map(([s, row]) => ({ leak: s.leak, flagged: row[rule][i] === true }))))
    let worst = { kind: nonLeakKinds[0] as SyntheticKind, rate: -1 }
    for (const kind of nonLeakKinds) {
      const group = all.filter(([s]) => s.kind === kind)
      const rate = group.filter(([, row]) => row.detector[i] === true).length / Math.max(1, group.length)
      if (rate > worst.rate) worst = { kind, rate }
    }
    return { seconds, byRule, worst }
  })
}

/** Recall of every rule per (rate, kind) of a rate sweep, plus pooled over kinds. */
export interface Sweep {
  rates: number[]
  kinds: SyntheticKind[]
  /** recall[rule][rateIndex][kind or 'all'] */
  recall: Record<RuleName, Array<Map<SyntheticKind | 'all', { value: number, ci: [number, number], k: number, n: number }>>>
}

/** Scores the leak kinds at each rate (same seeds at every rate: common random numbers). */
export function rateSweep (kinds: readonly SyntheticKind[], rates: readonly number[], count: number, firstSeed: number): Sweep {
  const recall = {} as Sweep['recall']
  for (const rule of ruleNames) recall[rule] = []
  for (const rate of rates) {
    const scored = scoreCorpus({ kinds, firstSeed, count, rateMbMin: rate })
    for (const rule of ruleNames) {
      const byKind = new Map<SyntheticKind | 'all', { value: number, ci: [number, number], k: number, n: number }>()
      for (const kind of kinds) byKind.set(kind, flaggedShare(scored, kind, rule))
      const k = scored.filter((s) => s.answers.flags[rule]).length
      byKind.set('all', { ...proportion(k, scored.length), k, n: scored.length })
      recall[rule].push(byKind)
    }
  }
  return { rates: [...rates], kinds: [...kinds], recall }
}

/**
 * The smallest swept rate at which recall is at least `target` there and at
 * every faster swept rate; undefined when even the fastest misses it.
 */
export function smallestRate (sweep: Sweep, rule: RuleName, kind: SyntheticKind | 'all', target = 0.9): number | undefined {
  let smallest: number | undefined
  for (let i = sweep.rates.length - 1; i >= 0; i--) {
    const value = sweep.recall[rule][i]?.get(kind)?.value ?? NaN
    if (!(value >= target)) break
    smallest = sweep.rates[i]
  }
  return smallest
}

export { leakKinds, nonLeakKinds }
