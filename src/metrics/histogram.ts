import * as hdr from 'hdr-histogram-js'
import type { LatencySummaryMs } from '../core/result-types.js'


/** An HDR histogram of durations recorded in microseconds. */
export type Histogram = hdr.Histogram

/** Highest recordable duration: one hour, in microseconds. Longer values are clamped. */
export const maxRecordableUs = 3_600_000_000

/** A new latency histogram: 1 µs to 1 h at 3 significant digits (0.1% resolution). */
export function createHistogram (): Histogram {
  return hdr.build({
    bitBucketSize: 32,
    lowestDiscernibleValue: 1,
    highestTrackableValue: maxRecordableUs,
    numberOfSignificantValueDigits: 3,
    autoResize: false,
    useWebAssembly: false
  })
}

/** Records one duration in microseconds, clamped to the histogram's range. */
export function recordUs (histogram: Histogram, us: number): void {
  histogram.recordValue(us < 1 ? 1 : us > maxRecordableUs ? maxRecordableUs : Math.round(us))
}

/** Compressed base64 form (the HdrHistogram V2 encoding), mergeable across runs and tools. */
export function encodeHistogram (histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram)
}

/** Reads an encoded histogram back. */
export function decodeHistogram (encoded: string): Histogram {
  const decoded = hdr.decodeFromCompressedBase64(encoded, 32, false)
  const histogram = createHistogram()
  histogram.add(decoded)
  decoded.destroy()
  return histogram
}

/** A timeline's encoded histogram read back; undefined when there is none or it is damaged (its percentiles fall short, its counters still add). */
export function decodeIfWhole (encoded: string): Histogram | undefined {
  if (encoded === '') return undefined
  try {
    return decodeHistogram(encoded)
  } catch {
    return undefined
  }
}

/** Adds an encoded histogram into `target` without building a second full-range one; false (nothing added) when it is empty or damaged. */
export function addEncoded (target: Histogram, encoded: string): boolean {
  if (encoded === '') return false
  let decoded: Histogram
  try {
    decoded = hdr.decodeFromCompressedBase64(encoded, 32, false)
  } catch {
    return false
  }
  if (decoded.totalCount > 0) target.add(decoded)
  decoded.destroy()
  return true
}

/** Adds `source` into `target`. */
export function mergeInto (target: Histogram, source: Histogram): void {
  if (source.totalCount > 0) target.add(source)
}

/** Takes `source`'s counts out of `target` (which must hold them). */
export function subtractFrom (target: Histogram, source: Histogram): void {
  if (source.totalCount > 0) target.subtract(source)
}

const round3 = (value: number): number => Math.round(value * 1000) / 1000

/** Percentiles in milliseconds; zeros when nothing was recorded. */
export function summarizeMs (histogram: Histogram): LatencySummaryMs {
  if (histogram.totalCount === 0) return { p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0, mean: 0 }
  const at = (percentile: number): number => round3(histogram.getValueAtPercentile(percentile) / 1000)
  return {
    p50: at(50),
    p90: at(90),
    p95: at(95),
    p99: at(99),
    p999: at(99.9),
    // the bucket value, as after decoding, so merged and direct summaries agree
    max: at(100),
    mean: round3(histogram.mean / 1000)
  }
}
