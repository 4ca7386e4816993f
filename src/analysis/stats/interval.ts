/** Operations on confidence intervals. */

/**
 * Stretches an interval about its estimate by `factor` (each end keeps its own distance, scaled). On a log scale
 * when `logScale` and everything is positive and finite, so a ratio's interval stays positive.
 */
export function stretchInterval (estimate: number, ci: readonly [number, number], factor: number, logScale: boolean): [number, number] {
  const useLog = logScale && estimate > 0 && ci[0] > 0 && Number.isFinite(ci[1]) && Number.isFinite(estimate)
  const to = useLog ? Math.log : (value: number) => value
  const from = useLog ? Math.exp : (value: number) => value
  const center = to(estimate)
  const low = center - factor * Math.max(0, center - to(ci[0]))
  const high = center + factor * Math.max(0, to(ci[1]) - center)
  return [from(low), from(high)]
}
