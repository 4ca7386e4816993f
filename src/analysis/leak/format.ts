/** Human units for leak reasons: MB and MB/min (decimal, as `checks.leak.maxGrowth` is written), minutes and hours. */

/** Bytes as MB with one decimal ("12.3 MB"), or KB below 1 MB. */
export function formatBytes (bytes: number): string {
  const abs = Math.abs(bytes)
  if (abs < 1e6) return `${(bytes / 1e3).toFixed(0)} KB`
  return `${(bytes / 1e6).toFixed(abs < 1e8 ? 1 : 0)} MB`
}

/** A memory limit as people set it: "512 MiB" when it is a whole number of MiB, else MB. */
export function formatLimit (bytes: number): string {
  const mib = bytes / (1024 * 1024)
  return Number.isInteger(mib) ? `${mib} MiB` : formatBytes(bytes)
}

/** Bytes per second as MB/min ("2.40 MB/min"). */
export function formatRate (bytesPerSec: number): string {
  const perMin = (bytesPerSec * 60) / 1e6
  const digits = Math.abs(perMin) < 10 ? 2 : 1
  return `${perMin.toFixed(digits)} MB/min`
}

/** A slope interval as "a to b MB/min". */
export function formatRateInterval (low: number, high: number): string {
  return `${formatRate(low).replace(' MB/min', '')} to ${formatRate(high)}`
}

/** Seconds as "45 s", "12 min" or "3.5 h". */
export function formatDuration (seconds: number): string {
  if (!Number.isFinite(seconds)) return 'never'
  if (seconds < 120) return `${Math.round(seconds)} s`
  if (seconds < 2 * 3600) return `${Math.round(seconds / 60)} min`
  if (seconds < 72 * 3600) return `${(seconds / 3600).toFixed(1)} h`
  return `${(seconds / 86400).toFixed(0)} days`
}

/** A p-value to two significant digits ("p = 0.0031", "p < 1e-6"). */
export function formatPValue (p: number): string {
  if (p < 1e-6) return 'p < 1e-6'
  return `p = ${p.toPrecision(2)}`
}

/** Bytes per request as the memory 1,000 requests keep ("38 KB", "1.2 MB"). */
export function formatPerThousand (bytesPerRequest: number): string {
  return formatBytes(bytesPerRequest * 1000)
}
