/** The four rules the benchmark scores on the same inputs: cutover's detector and the three simple baselines. */
import { detectLeak } from '../../src/analysis/leak/detector.js'
import type { LeakInput, LeakVerdict, MemorySample } from '../../src/analysis/leak/types.js'
import { corootRule, memwatchRule, olsSlopeRule } from '../../test/support/leak/baselines.js'

/** Rule names, the detector first. */
export const ruleNames = ['detector', 'ols', 'memwatch', 'coroot'] as const
export type RuleName = typeof ruleNames[number]

/** Column titles. */
export const ruleTitles: Record<RuleName, string> = {
  detector: 'cutover',
  ols: 'OLS>0',
  memwatch: 'memwatch',
  coroot: 'Coroot'
}

/** Longer names for the report's legend. */
export const ruleDescriptions: Record<RuleName, string> = {
  detector: "cutover's detectLeak (verdict 'leak')",
  ols: 'least-squares slope > 0',
  memwatch: "memwatch's five rises in a row of post-GC memory",
  coroot: "Coroot's MemoryGrowthPct rule"
}

/** Every rule's answer on one input, and the detector's full verdict. */
export interface RuleAnswers {
  verdict: LeakVerdict
  flags: Record<RuleName, boolean>
}

/** Whether one rule calls this input a leak. */
export function flags (rule: RuleName, input: LeakInput): boolean {
  switch (rule) {
    case 'detector': return detectLeak(input).verdict === 'leak'
    case 'ols': return olsSlopeRule(input).leak
    case 'memwatch': return memwatchRule(input).leak
    case 'coroot': return corootRule(input).leak
  }
}

/** All four rules on one input. */
export function answer (input: LeakInput): RuleAnswers {
  const verdict = detectLeak(input).verdict
  return {
    verdict,
    flags: {
      detector: verdict === 'leak',
      ols: olsSlopeRule(input).leak,
      memwatch: memwatchRule(input).leak,
      coroot: corootRule(input).leak
    }
  }
}

/** The input as it stood `seconds` into the run: samples (and restarts) before that time. */
export function prefix (input: LeakInput, seconds: number): LeakInput {
  return {
    ...input,
    samples: input.samples.filter((s: MemorySample) => s.tSec < seconds),
    restartsAtSec: input.restartsAtSec?.filter((t) => t < seconds)
  }
}

/** The first checkpoint (s) at which the rule calls the input a leak, or undefined if none does. */
export function firstFlagged (rule: RuleName, input: LeakInput, checkpoints: readonly number[]): number | undefined {
  for (const seconds of checkpoints) if (flags(rule, prefix(input, seconds))) return seconds
  return undefined
}
