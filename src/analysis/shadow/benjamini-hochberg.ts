/**
 * Benjamini–Hochberg (1995) false discovery rate control: many fields are tested at once, so a plain p < 0.05 would
 * call one field in twenty "real" by chance. Adjusted p-values as scipy's `false_discovery_control(ps, method='bh')`:
 * sort ascending, multiply the i-th smallest by (m / i), take the running minimum from the largest down, cap at 1.
 */

/** BH-adjusted p-values (q-values), in the order given. */
export function benjaminiHochbergAdjusted (pValues: readonly number[]): number[] {
  const m = pValues.length
  const order = pValues.map((p, index) => ({ p, index })).sort((a, b) => a.p - b.p || a.index - b.index)
  const adjusted = new Array<number>(m).fill(1)
  let running = 1
  for (let rank = m; rank >= 1; rank--) {
    const entry = order[rank - 1]
    if (entry === undefined) continue
    running = Math.min(running, entry.p * (m / rank))
    adjusted[entry.index] = Math.min(1, running)
  }
  return adjusted
}

/** Which hypotheses BH rejects at false discovery rate `q`: those with an adjusted p-value ≤ q. */
export function benjaminiHochbergRejects (pValues: readonly number[], q: number): boolean[] {
  return benjaminiHochbergAdjusted(pValues).map((adjusted) => adjusted <= q)
}
