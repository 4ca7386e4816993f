/** Numbers for people, with their units: ms, req/s, MB, %, MB/min. Shared by the HTML report and summary.md. */
import { formatEffect as formatComparisonEffect } from '../../analysis/compare/format.js'
import type { EffectScale } from '../../analysis/compare/types.js'
import { formatBytes, formatMs } from '../../core/units.js'

export { formatBytes, formatMs }

const minus = '−'

/** `12,345`. */
export function formatCount (n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–'
}

/** `1,234 req/s`, `45.6 req/s`. */
export function formatRate (reqPerSec: number): string {
  if (!Number.isFinite(reqPerSec)) return '–'
  return `${reqPerSec >= 1000 ? formatCount(reqPerSec) : reqPerSec.toFixed(1).replace(/\.0$/, '')} req/s`
}

/** A fraction as a percentage with enough digits to tell small rates apart: `0.012%`, `1.50%`, `37%`. */
export function formatPercent (fraction: number): string {
  if (!Number.isFinite(fraction)) return '–'
  const percent = fraction * 100
  if (percent === 0) return '0%'
  if (Math.abs(percent) >= 10) return `${percent.toFixed(1)}%`
  if (Math.abs(percent) >= 0.1) return `${percent.toFixed(2)}%`
  return `${Number(percent.toPrecision(2))}%`
}

/** CPU in percent of one core: `37.5%`. */
export function formatCpu (percent: number): string {
  return Number.isFinite(percent) ? `${percent.toFixed(1)}%` : '–'
}

/** Memory growth: `2.40 MB/min`. */
export function formatGrowth (bytesPerSec: number): string {
  if (!Number.isFinite(bytesPerSec)) return '–'
  const perMin = (bytesPerSec * 60) / 1e6
  return `${perMin.toFixed(Math.abs(perMin) < 10 ? 2 : 1)} MB/min`
}

/** Seconds as `45 s`, `12 min 30 s`, `1 h 05 min`. */
export function formatDuration (seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–'
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`
  if (seconds < 3600) {
    const minutes = Math.floor(seconds / 60)
    const rest = Math.round(seconds - minutes * 60)
    return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`
  }
  const hours = Math.floor(seconds / 3600)
  return `${hours} h ${String(Math.round((seconds - hours * 3600) / 60)).padStart(2, '0')} min`
}

/** A plain number to three significant digits. */
export function formatNumber (value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? '∞' : value < 0 ? `${minus}∞` : '–'
  if (Math.abs(value) >= 1000) return formatCount(value)
  return String(Number(value.toPrecision(3)))
}

/** How a comparison's effect is expressed: a ratio new/old, or a difference new − old of fractions. */
export type { EffectScale }

/** A ratio as a change (1.21 → `+21.0%`), a difference of fractions in points (0.0005 → `+0.050pp`); `–` for a missing value. */
export function formatEffect (scale: EffectScale, value: number): string {
  // result.json writes numbers without a value as null
  if (value === null || value === undefined) return '–'
  return formatComparisonEffect(scale, value)
}

/**
 * A change as the comparison judged it: a ratio as a percent change (`+21.0%`), a difference in the metric's own
 * unit (`+0.050pp` for a rate, `+1.12 MB/min` for memory growth); `–` for a missing value.
 */
export function formatChange (scale: EffectScale, value: number, unit: string): string {
  if (value === null || value === undefined) return '–'
  if (scale === 'ratio' || unit === 'fraction' || unit === 'pp' || unit === 'rate') return formatComparisonEffect(scale, value)
  if (!Number.isFinite(value)) return '–'
  const text = formatWithUnit(Math.abs(value), unit)
  return `${value > 0 ? '+' : value < 0 ? minus : '±'}${text}`
}

/** A figure with its unit as result.json states it (`ms`, `fraction`, `bytes`, `bytes/s`, `req/s`, `%`…). */
export function formatWithUnit (value: number, unit: string): string {
  if (typeof value !== 'number') return '–'
  switch (unit) {
    case 'ms': return formatMs(value)
    case 's': return formatDuration(value)
    case 'fraction': case 'rate': return formatPercent(value)
    case '%': case 'percent': return formatCpu(value)
    case 'bytes': case 'B': return formatBytes(value)
    case 'bytes/s': return formatGrowth(value)
    case 'req/s': case 'rps': return formatRate(value)
    case 'count': case 'requests': case '': return formatNumber(value)
    case 'ratio': return formatEffect('ratio', value)
    case 'pp': return formatEffect('difference', value)
    default: return `${formatNumber(value)} ${unit}`
  }
}

/** `2026-11-27 10:26:07 UTC` from an ISO timestamp; the input when it is not one. */
export function formatTimestamp (iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`
}
