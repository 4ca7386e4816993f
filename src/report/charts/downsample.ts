/** Keeps long series light: at most a fixed number of points per line, keeping each bucket's extremes. */

/** A series of x values and y values (null leaves a gap). */
export interface XySeries {
  xs: number[]
  ys: Array<number | null>
}

/** Most points drawn per line; a one-hour run at 1 s intervals is cut to this. */
export const maxPointsPerLine = 1500

/**
 * Min/max decimation: the series is cut into `maxPoints / 2` buckets of equal
 * length and each keeps its lowest and highest point in their order, so a
 * spike survives however long the run. Nulls inside a bucket are ignored; a
 * bucket of nulls stays a gap.
 */
export function downsampleMinMax (series: XySeries, maxPoints = maxPointsPerLine): XySeries {
  const n = Math.min(series.xs.length, series.ys.length)
  if (n <= maxPoints) return { xs: series.xs.slice(0, n), ys: series.ys.slice(0, n) }
  const buckets = Math.max(1, Math.floor(maxPoints / 2))
  const xs: number[] = []
  const ys: Array<number | null> = []
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * n) / buckets)
    const to = Math.floor(((b + 1) * n) / buckets)
    let low = -1
    let high = -1
    for (let i = from; i < to; i++) {
      const y = series.ys[i]
      if (y === null || y === undefined) continue
      if (low === -1 || y < (series.ys[low] ?? Infinity)) low = i
      if (high === -1 || y > (series.ys[high] ?? -Infinity)) high = i
    }
    if (low === -1) {
      xs.push(series.xs[from] ?? 0)
      ys.push(null)
      continue
    }
    for (const i of low === high ? [low] : low < high ? [low, high] : [high, low]) {
      xs.push(series.xs[i] ?? 0)
      ys.push(series.ys[i] ?? null)
    }
  }
  return { xs, ys }
}

/** A number kept to `digits` significant digits, so the embedded data stays small. */
export function roundSignificant (value: number, digits = 4): number {
  if (value === 0 || !Number.isFinite(value)) return value
  return Number(value.toPrecision(digits))
}

/** Flattens a series into [x0, y0, x1, y1, …] with rounded numbers. */
export function flattenPoints (series: XySeries): Array<number | null> {
  const flat: Array<number | null> = []
  for (let i = 0; i < series.xs.length; i++) {
    const y = series.ys[i]
    flat.push(Math.round((series.xs[i] ?? 0) * 1000) / 1000, y === null || y === undefined || !Number.isFinite(y) ? null : roundSignificant(y))
  }
  return flat
}
