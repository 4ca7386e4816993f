/** The two-sided normal p-value the trend tests use, on the shared normal functions of stats/. */
import { erfc } from '../stats/normal.js'

/** Two-sided p-value of a standard normal statistic: 2·(1 − Φ(|z|)). */
export function twoSidedNormalPValue (z: number): number {
  return erfc(Math.abs(z) / Math.SQRT2)
}
