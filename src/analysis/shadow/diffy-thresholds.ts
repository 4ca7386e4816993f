/**
 * Diffy's fixed noise thresholds (twitter/diffy `analysis/JoinedDifferences.scala`): a field is reported when
 * raw > noise, relative = |r − n| / (r + n) · 100 > 20 and absolute = |r − n| / N · 100 > 0.03, with strict `>`
 * (the flag text says "inclusive", the code does not). Computed in the same order of double arithmetic as Diffy.
 */

/** Diffy's default thresholds, in percent. */
export const diffyDefaults = { relativePercent: 20, absolutePercent: 0.03 } as const

/** Diffy's relative difference |r − n| / (r + n) · 100, in percent (0 when both are 0). */
export function diffyRelativePercent (raw: number, noise: number): number {
  return raw + noise === 0 ? 0 : Math.abs(raw - noise) / (raw + noise) * 100
}

/** Diffy's absolute difference |r − n| / N · 100, in percent of the endpoint's requests (0 without requests). */
export function diffyAbsolutePercent (raw: number, noise: number, requests: number): number {
  return requests === 0 ? 0 : Math.abs(raw - noise) / requests * 100
}

/** True when Diffy would report the field: r > n, relative > 20 and absolute > 0.03 (strict). */
export function diffyReports (raw: number, noise: number, requests: number, thresholds: { relativePercent: number, absolutePercent: number } = diffyDefaults): boolean {
  return raw > noise &&
    diffyRelativePercent(raw, noise) > thresholds.relativePercent &&
    diffyAbsolutePercent(raw, noise, requests) > thresholds.absolutePercent
}
