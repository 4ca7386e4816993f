/** Parsing of the human units scenarios use: durations, sizes, percentages. */

const durationUnits: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 }
const durationPattern = /^\s*(\d+(?:\.\d+)?)\s*(us|ms|s|m|min|h)\s*$/
const compoundDuration = /^\s*(?:\d+(?:\.\d+)?\s*(?:us|ms|s|min|m|h)\s*)+$/

/** Milliseconds from `500ms`, `30s`, `2m`, `1h`, `1m30s`, or a bare number of milliseconds. Undefined if not a duration. */
export function parseDurationMs (value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined
  const single = durationPattern.exec(value)
  if (single !== null) return Number(single[1]) * (durationUnits[single[2] ?? ''] ?? NaN)
  if (!compoundDuration.test(value)) return undefined
  let total = 0
  for (const part of value.matchAll(/(\d+(?:\.\d+)?)\s*(us|ms|s|min|m|h)/g)) {
    total += Number(part[1]) * (durationUnits[part[2] ?? ''] ?? NaN)
  }
  return total
}

const sizeUnits: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4
}
const sizePattern = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]i?b|b)?\s*$/i

/** Bytes from `512KB`, `5MB`, `1GiB` (KB = 1000 bytes, KiB = 1024), or a bare number of bytes. */
export function parseSizeBytes (value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined
  const match = sizePattern.exec(value)
  if (match === null) return undefined
  const unit = (match[2] ?? 'b').toLowerCase()
  const factor = sizeUnits[unit]
  return factor === undefined ? undefined : Number(match[1]) * factor
}

/** A growth rate such as `5MB/min` or `10MiB/h`, in bytes per second. */
export function parseGrowthBytesPerSec (value: string): number | undefined {
  const match = /^\s*(.+?)\s*\/\s*(s|sec|min|m|h|hour)\s*$/.exec(value)
  if (match === null) return undefined
  const bytes = parseSizeBytes(match[1] ?? '')
  const perSeconds = { s: 1, sec: 1, min: 60, m: 60, h: 3600, hour: 3600 }[match[2] as 's']
  return bytes === undefined ? undefined : bytes / perSeconds
}

/** A relative tolerance `+10%` / `-5%` / `10%` as a fraction (0.10, -0.05), or a point change `+0.1pp` as a fraction of 1 (0.001). */
export type Tolerance = { kind: 'relative', fraction: number } | { kind: 'points', fraction: number }

/** Parses a tolerance; undefined when it is not one. */
export function parseTolerance (value: string | number): Tolerance | undefined {
  // a bare number is ambiguous (10 or 10%?), so a unit is required
  if (typeof value === 'number') return undefined
  const match = /^\s*([+-]?\d+(?:\.\d+)?)\s*(%|pp)\s*$/.exec(value)
  if (match === null) return undefined
  const amount = Number(match[1]) / 100
  return match[2] === 'pp' ? { kind: 'points', fraction: amount } : { kind: 'relative', fraction: amount }
}

/** A fraction from `0.5%` or a bare number already a fraction (0.005). */
export function parseFraction (value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined
  const match = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(value)
  return match === null ? undefined : Number(match[1]) / 100
}

/** A throughput such as `300/s`, `300rps` or `300` in requests per second. */
export function parseRatePerSec (value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined
  const match = /^\s*(\d+(?:\.\d+)?)\s*(\/s|rps|req\/s)?\s*$/.exec(value)
  return match === null ? undefined : Number(match[1])
}

/** `1.5 s`, `250 ms`, `0.4 ms`: a duration for people. */
export function formatMs (ms: number): string {
  if (!Number.isFinite(ms)) return '–'
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`
  if (ms >= 10) return `${ms.toFixed(0)} ms`
  return `${ms.toFixed(ms >= 1 ? 1 : 2)} ms`
}

/** `12.3 MB`: a size for people (decimal units, as in scenarios). */
export function formatBytes (bytes: number): string {
  if (!Number.isFinite(bytes)) return '–'
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let value = bytes
  let unit = 0
  while (Math.abs(value) >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`
}
