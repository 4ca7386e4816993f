/**
 * The memoryGrowth gate of a rollout step: cutover's own leak analysis (detectLeak) on new's and old's memory since
 * the proxy started, judged as `checks.leak` judges a run (leakCheck: `auto` or a growth limit), and new's growth
 * against old's (compareGrowth: both services see the same live traffic, so growth they share is not new's fault).
 *
 * - fail: new's leak check fails and new grows faster than old (the MOVER interval of the difference is above 0); or,
 *   when old was measured on another witness (RSS where new has its heap), new's check fails and old does not leak.
 * - pass: new's leak check passes, or new grows no faster than old.
 * - inconclusive otherwise: too few samples so far, or growth not yet told from noise. A rollout moves on; a later
 *   step judges the longer series again, so a leak is caught at the first step whose hold is long enough to see it.
 */
import type { GateResult } from './rollout-gates.js'
import { compareGrowth } from './leak/compare-growth.js'
import { detectLeak } from './leak/detector.js'
import { formatRate, formatRateInterval } from './leak/format.js'
import { leakCheck } from './leak/leak-check.js'
import { finite, minLeakSamples, type TargetMemory } from './leak-for-run.js'

/** `gates.memoryGrowth`: the leak verdict alone (`auto`) or a growth limit in bytes per second. */
export type MemoryGrowthSetting = 'auto' | number

/** The memoryGrowth gate on old's and new's memory so far; undefined while either has too few samples. */
export function memoryGrowthGate (old: TargetMemory, candidate: TargetMemory, setting: MemoryGrowthSetting): GateResult | undefined {
  if (old.samples.length < minLeakSamples || candidate.samples.length < minLeakSamples) return undefined
  const newLeak = detectLeak({ samples: candidate.samples, memoryLimitBytes: candidate.memoryLimitBytes })
  const oldLeak = detectLeak({ samples: old.samples, memoryLimitBytes: old.memoryLimitBytes })
  const check = leakCheck(newLeak, setting)
  const growth = compareGrowth(newLeak, oldLeak)
  const limit = setting === 'auto' ? newLeak.minGrowthBytesPerSec : setting
  const observed = finite(newLeak.slopeBytesPerSec)
  const ci: [number, number] = [finite(newLeak.slopeCi[0]), finite(newLeak.slopeCi[1])]
  const shown = `new's ${newLeak.signal} grows ${formatRate(observed)} (95% CI ${formatRateInterval(ci[0], ci[1])}), old's ${formatRate(finite(oldLeak.slopeBytesPerSec))}`
  const result = (status: GateResult['status'], why: string): GateResult =>
    ({ gate: 'memoryGrowth', status, observed, ci, limit, message: `memory: ${shown}; ${why}` })
  // old measured on another witness (its heap unreported, say, so RSS): the two slopes are not comparable, so new's
  // leak counts unless old leaks too
  const comparable = newLeak.signal === oldLeak.signal
  if (check.status === 'fail' && growth.fasterThanOld === true) return result('fail', `${check.message.replace(/\.$/, '')}; ${growth.reason}`)
  if (check.status === 'fail' && !comparable && oldLeak.verdict !== 'leak') {
    return result('fail', `${check.message.replace(/\.$/, '')}; old's ${oldLeak.signal} does not leak (${oldLeak.verdict}), and the two were measured on different witnesses (new's ${newLeak.signal}, old's ${oldLeak.signal}), so their slopes are not compared`)
  }
  if (check.status === 'pass') return result('pass', check.message)
  if (growth.fasterThanOld === false) return result('pass', growth.reason)
  return result('inconclusive', check.status === 'fail' ? growth.reason : check.message)
}
