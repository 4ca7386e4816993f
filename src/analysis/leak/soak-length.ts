/**
 * Is a run long enough for the leak verdict it is asked for? The detector judges growth within blocks of steady load
 * after warm-up; the benchmark (`npm run bench:leaks`) measures its recall on three-minute soaks, and a shorter one
 * finds far fewer leaks. Said before the run, so nobody waits for a verdict that cannot come.
 */
import type { PlannedPhase } from '../../plan/phases.js'
import { formatDuration } from './format.js'
import { isCooldownPhase, isWarmupPhase } from './series.js'

/** Seconds of steady load the leak verdict's measured accuracy assumes. */
export const recommendedSteadySec = 180

/** Seconds of steady load in a plan: phases at a constant rate or connection count, warm-up and cooldown left out. */
export function steadyLoadSec (phases: readonly PlannedPhase[]): number {
  return phases
    .filter((phase) => !isWarmupPhase(phase.name) && !isCooldownPhase(phase.name) && (phase.kind === 'closed' || phase.fromRate === phase.toRate))
    .reduce((sum, phase) => sum + phase.durationMs / 1000, 0)
}

/** A warning when the plan has less steady load than {@link recommendedSteadySec}, saying how much longer would do; undefined otherwise. */
export function leakSoakAdvice (phases: readonly PlannedPhase[]): string | undefined {
  const steadySec = steadyLoadSec(phases)
  if (steadySec >= recommendedSteadySec) return undefined
  const steady = phases.filter((phase) => !isWarmupPhase(phase.name) && !isCooldownPhase(phase.name) && (phase.kind === 'closed' || phase.fromRate === phase.toRate))
  const longest = steady.reduce<PlannedPhase | undefined>((best, phase) => (best === undefined || phase.durationMs > best.durationMs ? phase : best), undefined)
  const missingSec = recommendedSteadySec - steadySec
  const fix = longest === undefined
    ? `add a phase at a constant rate of at least ${formatDuration(recommendedSteadySec)}`
    : `lengthen \`${longest.name}\` to at least ${formatDuration(longest.durationMs / 1000 + missingSec)}`
  return `checks.leak: this run has ${formatDuration(steadySec)} of steady load after warm-up; the leak verdict needs about ${formatDuration(recommendedSteadySec)} ` +
    `(npm run bench:leaks measures its recall on 3-minute soaks; shorter ones miss most slow leaks and end inconclusive): ${fix}.`
}
