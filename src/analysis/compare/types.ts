/** Shared shapes of old-vs-new comparisons. */

import type { Verdict } from '../../core/result-types.js'

/** Which way a metric gets worse: up for latency, error rate, CPU per request and memory; down for throughput and capacity. */
export type Direction = 'higher-is-worse' | 'lower-is-worse'

/** Whether an effect is judged as new/old or as new − old. */
export type EffectScale = 'ratio' | 'difference'

/** The outcome of comparing one metric of new against old. */
export interface MetricComparison {
  name: string
  /** Summary of old (e.g. the median of per-interval values, or the failure rate). */
  old: number
  /** Summary of new, the same way. */
  new: number
  /** new/old of the summaries (Infinity or NaN when old is 0). */
  ratio: number
  /** The judged effect: a ratio new/old or a difference new − old, as `scale` says. */
  estimate: number
  /** Confidence interval of the judged effect. */
  ci: [number, number]
  scale: EffectScale
  direction: Direction
  /** The worst acceptable effect, e.g. 1.10 for +10% or 0.001 for +0.1pp. */
  limit: number
  /** How the interval was computed, e.g. 'moving-block bootstrap ratio of medians, 95% percentile CI'. */
  method: string
  verdict: Verdict
  /** Intervals (or requests, for error rates) on each side. */
  n: { old: number, new: number }
  /** One sentence for people: the effect, its interval, the limit and what would settle an inconclusive verdict. */
  message: string
  /** log(new/old) of each paired unit, when the comparison was paired. */
  contrasts?: number[]
  /** For an inconclusive verdict: what more data would settle it, in one short phrase. */
  settle?: string
}
