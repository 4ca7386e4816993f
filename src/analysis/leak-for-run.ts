import type { CheckResult, ComparisonMetric, LeakSummary } from '../core/result-types.js'
import { compareGrowth } from './leak/compare-growth.js'
import { detectLeak } from './leak/detector.js'
import { leakCheck } from './leak/leak-check.js'
import type { LeakResult, MemorySample } from './leak/types.js'

/** What the run knows of one target's memory. */
export interface TargetMemory {
  target: string
  samples: MemorySample[]
  memoryLimitBytes?: number | undefined
}

/** Fewest memory samples worth analysing at all; fewer give no verdict. */
export const minLeakSamples = 5

/** A slope or bound that JSON can hold: 0 where the analysis had none (NaN, ±Infinity). */
export const finite = (value: number): number => Number.isFinite(value) ? value : 0

function toSummary (result: LeakResult): LeakSummary {
  return {
    verdict: result.verdict,
    slopeBytesPerSec: finite(result.slopeBytesPerSec),
    slopeCi: [finite(result.slopeCi[0]), finite(result.slopeCi[1])],
    pValue: Number.isFinite(result.pValue) ? result.pValue : 1,
    signal: result.signal,
    ...(result.timeToLimitSec === undefined || !Number.isFinite(result.timeToLimitSec) ? {} : { timeToLimitSec: result.timeToLimitSec }),
    reason: result.reason,
    fit: { t0Sec: result.fit.t0Sec, interceptBytes: finite(result.fit.interceptBytes) },
    ...(result.underLoad === undefined
      ? {}
      : {
          slopeUnderLoadBytesPerSec: finite(result.underLoad.slopeBytesPerSec),
          bytesPerThousandRequests: finite(result.underLoad.bytesPerThousandRequests),
          underLoadShare: result.underLoad.share
        }),
    ...(result.timeToLimitSec === undefined || !Number.isFinite(result.timeToLimitSec) ? {} : { projectedAt: result.underLoad === undefined ? 'wall clock' : 'under load' })
  }
}

/**
 * Leak verdicts of every sampled target, the `checks.leak` checks, and whether new grows faster than old.
 * Without `checks.leak` a suspected leak is a warning; with it, the verdict passes or fails the run.
 */
export function leakAnalysis (targets: TargetMemory[], maxGrowth: number | 'auto' | undefined, pair: { old: string, new: string } | undefined): {
  leaks: Record<string, LeakSummary>
  checks: CheckResult[]
  growth?: ComparisonMetric
} {
  const results = new Map<string, LeakResult>()
  const leaks: Record<string, LeakSummary> = {}
  const checks: CheckResult[] = []
  for (const target of targets) {
    if (target.samples.length < minLeakSamples) continue
    const result = detectLeak({ samples: target.samples, memoryLimitBytes: target.memoryLimitBytes, ...(typeof maxGrowth === 'number' ? { maxGrowthBytesPerSec: maxGrowth } : {}) })
    results.set(target.target, result)
    leaks[target.target] = toSummary(result)
    if (maxGrowth === undefined) {
      if (result.verdict === 'leak') {
        checks.push({ id: 'leak', target: target.target, status: 'warn', observed: finite(result.slopeBytesPerSec), limit: result.minGrowthBytesPerSec, unit: 'bytes/s', message: `memory leak suspected: ${result.reason} (add checks.leak to fail the run on it)` })
      }
      continue
    }
    const outcome = leakCheck(result, maxGrowth)
    checks.push({ id: 'leak', target: target.target, status: outcome.status, observed: finite(outcome.observed), limit: outcome.limit, unit: outcome.unit, message: outcome.message })
  }
  const oldResult = pair === undefined ? undefined : results.get(pair.old)
  const newResult = pair === undefined ? undefined : results.get(pair.new)
  if (pair === undefined || oldResult === undefined || newResult === undefined) return { leaks, checks }
  const growth = compareGrowth(newResult, oldResult)
  const verdict = growth.fasterThanOld === true ? 'fail' : growth.fasterThanOld === false ? 'pass' : 'inconclusive'
  const metric: ComparisonMetric = {
    name: 'memoryGrowth',
    unit: 'bytes/s',
    old: finite(oldResult.slopeBytesPerSec),
    new: finite(newResult.slopeBytesPerSec),
    ratio: finite(growth.differenceBytesPerSec),
    ci: [finite(growth.ci[0]), finite(growth.ci[1])],
    method: 'difference of Theil–Sen slopes, MOVER interval from the two Sen intervals',
    verdict,
    message: `memoryGrowth: ${growth.reason}`,
    scale: 'difference',
    limit: growth.marginBytesPerSec
  }
  // growing faster than old fails the run only when leaks are gated
  if (maxGrowth !== undefined) {
    checks.push({ id: 'compare.memoryGrowth', target: pair.new, status: verdict, observed: metric.ratio, limit: growth.marginBytesPerSec, unit: 'bytes/s', message: metric.message })
  }
  return { leaks, checks, growth: metric }
}
