/**
 * The one-sided exact McNemar test on paired outcomes. Each shadowed request yields two yes/no outcomes for a field:
 * did old and new differ (raw), and did old differ from itself (noise). Only the discordant requests say which is
 * more frequent: b = raw without noise, c = noise without raw. Under "raw is no more frequent than noise",
 * b ~ Binomial(b + c, 1/2), so the p-value is P(X ≥ b) (McNemar 1947; the exact form as in scipy's
 * `binomtest(b, b + c, 0.5, alternative='greater')`).
 */

import { binomialTestPValue } from '../stats/binomial.js'

/** p-value that raw differences are more frequent than noise differences, from the discordant counts b and c; 1 when b + c = 0. */
export function mcnemarGreaterPValue (rawOnly: number, noiseOnly: number): number {
  const discordant = rawOnly + noiseOnly
  if (discordant === 0) return 1
  return binomialTestPValue(rawOnly, discordant, 0.5, 'greater')
}
