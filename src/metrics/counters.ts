import type { RequestCounts } from '../core/result-types.js'

/** Empty counters. */
export function emptyCounts (): RequestCounts {
  return { total: 0, ok: 0, failed: 0, byStatus: {}, byError: {} }
}

/** Most distinct error kinds kept; the rest are counted under "other". */
export const maxErrorKinds = 50

/** Adds `n` to `key` in a bounded tally. */
export function tally (counts: Record<string, number>, key: string, n = 1): void {
  const existing = counts[key]
  if (existing !== undefined) {
    counts[key] = existing + n
  } else if (Object.keys(counts).length < maxErrorKinds) {
    counts[key] = n
  } else {
    counts.other = (counts.other ?? 0) + n
  }
}

/** Adds `source` into `target`. */
export function addCounts (target: RequestCounts, source: RequestCounts): void {
  target.total += source.total
  target.ok += source.ok
  target.failed += source.failed
  for (const [status, n] of Object.entries(source.byStatus)) tally(target.byStatus, status, n)
  for (const [kind, n] of Object.entries(source.byError)) tally(target.byError, kind, n)
}
