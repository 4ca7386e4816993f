/** The normal-distribution functions the trend tests use: the shared ones of stats/, plus a two-sided p-value. */
import { erfc } from '../stats/normal.js'

export { erfc, normalCdf, normalQuantile } from '../stats/normal.js'

/** Two-sided p-value of a standard normal statistic: 2·(1 − Φ(|z|)). */
export function twoSidedNormalPValue (z: number): number {
  return erfc(Math.abs(z) / Math.SQRT2)
}
