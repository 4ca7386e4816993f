/**
 * Steps in a series of runs: binary segmentation with Welch's t test, as Hunter (DataStax; Fleming et al., ICPE 2023)
 * and MongoDB's change-point detection (Daly et al., ICPE 2020) find performance changes across CI runs.
 * A step is kept only when it is significant after a Bonferroni correction over the splits tried AND larger than
 * the run-to-run noise (the pooled standard deviation of the runs on either side).
 */

import { welchTest } from '../stats/welch.js'

/** A step between two runs: the series' level before and after it. */
export interface ChangePoint {
  /** Index (in the series given) of the first run that shows the step. */
  index: number
  /** Mean of the runs of the segment before the step, and of the segment after it. */
  before: number
  after: number
  /** (after − before) / |before|; ±Infinity when before is 0. */
  relative: number
  /** |after − before| in units of the run-to-run noise (the two segments' pooled standard deviation). */
  noiseMultiple: number
  /** Welch's two-sided p-value, before the correction for the splits tried. */
  pValue: number
  /** The splits tried in the segment that held the step (the Bonferroni factor). */
  splitsTried: number
}

/** How sure a step must be. */
export interface ChangePointOptions {
  /** Family-wise error rate per segment searched; default 0.01. */
  alpha?: number
  /** Fewest runs on each side of a step; default 3 (a step in the last two runs waits for a third). */
  minRuns?: number
  /** Smallest step, in units of the run-to-run noise; default 1. */
  minNoiseMultiple?: number
}

const mean = (values: readonly number[]): number => values.reduce((sum, x) => sum + x, 0) / values.length

function pooledSd (a: readonly number[], b: readonly number[]): number {
  const squares = (values: readonly number[]): number => {
    const centre = mean(values)
    return values.reduce((sum, x) => sum + (x - centre) ** 2, 0)
  }
  return Math.sqrt((squares(a) + squares(b)) / (a.length + b.length - 2))
}

/** The split of `values` with the largest Welch |t|, with its test; undefined when no split leaves minRuns a side. */
function bestSplit (values: readonly number[], minRuns: number): { at: number, test: NonNullable<ReturnType<typeof welchTest>>, splits: number } | undefined {
  let best: { at: number, test: NonNullable<ReturnType<typeof welchTest>>, splits: number } | undefined
  const splits = values.length - 2 * minRuns + 1
  for (let at = minRuns; at <= values.length - minRuns; at++) {
    const test = welchTest(values.slice(0, at), values.slice(at))
    if (test === undefined) continue
    if (best === undefined || Math.abs(test.t) > Math.abs(best.test.t)) best = { at, test, splits }
  }
  return best
}

/**
 * The steps in `values` (runs oldest first; NaN for a run without the figure, skipped), by index of the first run
 * after each step, in order. Recursion on both sides of each step found (binary segmentation).
 */
export function findChangePoints (values: readonly number[], options: ChangePointOptions = {}): ChangePoint[] {
  const alpha = options.alpha ?? 0.01
  const minRuns = Math.max(2, options.minRuns ?? 3)
  const minNoise = options.minNoiseMultiple ?? 1
  const present = values.flatMap((value, index) => Number.isFinite(value) ? [{ value, index }] : [])
  const found: ChangePoint[] = []
  const search = (from: number, to: number): void => {
    const segment = present.slice(from, to).map((entry) => entry.value)
    const split = bestSplit(segment, minRuns)
    if (split === undefined) return
    const before = segment.slice(0, split.at)
    const after = segment.slice(split.at)
    const noise = pooledSd(before, after)
    // equal runs can differ in the last bits of their means: that is no step
    const step = Math.abs(split.test.difference) <= 1e-9 * Math.abs(split.test.difference + 2 * mean(before)) ? 0 : Math.abs(split.test.difference)
    const noiseMultiple = noise === 0 ? (step === 0 ? 0 : Infinity) : step / noise
    if (step === 0 || split.test.pValue * split.splits >= alpha || noiseMultiple <= minNoise) return
    const beforeMean = mean(before)
    const afterMean = beforeMean + split.test.difference
    const first = present[from + split.at]
    if (first === undefined) return
    found.push({
      index: first.index,
      before: beforeMean,
      after: afterMean,
      relative: beforeMean === 0 ? Math.sign(split.test.difference) * Infinity : split.test.difference / Math.abs(beforeMean),
      noiseMultiple,
      pValue: split.test.pValue,
      splitsTried: split.splits
    })
    search(from, from + split.at)
    search(from + split.at, to)
  }
  search(0, present.length)
  return found.sort((a, b) => a.index - b.index)
}
