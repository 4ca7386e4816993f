/** Caps stored series at a fixed length, so a baseline of a long soak stays small. */

import { createHistogram, decodeHistogram, encodeHistogram, mergeInto } from '../../metrics/histogram.js'

/**
 * At most `max` values picked at evenly spaced positions, first and last included. Picking (rather than averaging
 * neighbours) keeps each value a real interval's value, so medians, means and their spread stay those of the run.
 */
export function pickEvenly (values: readonly number[], max: number): number[] {
  if (values.length <= max) return [...values]
  if (max <= 0) return []
  if (max === 1) return [values[0] as number]
  const picked: number[] = []
  for (let i = 0; i < max; i++) picked.push(values[Math.round((i * (values.length - 1)) / (max - 1))] as number)
  return picked
}

/** Bounds of `groups` consecutive, nearly equal groups of `length` items: [start, end) pairs. */
export function evenGroups (length: number, groups: number): Array<[number, number]> {
  const count = Math.min(length, Math.max(0, groups))
  const bounds: Array<[number, number]> = []
  for (let g = 0; g < count; g++) bounds.push([Math.floor((g * length) / count), Math.floor(((g + 1) * length) / count)])
  return bounds
}

/**
 * At most `max` encoded histograms, consecutive ones merged into nearly equal groups. Merging (rather than dropping)
 * keeps every request, so a percentile pooled over all windows is exactly that of the whole series.
 */
export function mergeEvenly (windows: readonly string[], max: number): string[] {
  if (windows.length <= max) return [...windows]
  const merged = createHistogram()
  return evenGroups(windows.length, max).map(([start, end]) => {
    merged.reset()
    for (const encoded of windows.slice(start, end)) mergeInto(merged, decodeHistogram(encoded))
    return encodeHistogram(merged)
  })
}
