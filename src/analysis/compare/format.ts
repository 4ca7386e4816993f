/** Wording of effects and limits in comparison messages. */

import type { EffectScale } from './types.js'

const minus = '−'

function signed (value: number, digits: number, suffix: string): string {
  if (Number.isNaN(value)) return '–'
  if (!Number.isFinite(value)) return `${value > 0 ? '+' : minus}∞${suffix}`
  const text = Math.abs(value).toFixed(digits)
  const sign = Number(text) === 0 ? '±' : value > 0 ? '+' : minus
  return `${sign}${text}${suffix}`
}

/** A ratio as a percent change (1.21 → `+21.0%`) or a difference of fractions in points (0.0005 → `+0.050pp`). */
export function formatEffect (scale: EffectScale, value: number): string {
  if (scale === 'ratio') return signed((value - 1) * 100, 1, '%')
  const points = value * 100
  return signed(points, Math.abs(points) >= 1 ? 2 : 3, 'pp')
}

/** `+21.0% (95% CI +14.2% to +28.3%)`. */
export function formatEffectWithInterval (scale: EffectScale, estimate: number, ci: readonly [number, number], confidence: number): string {
  if (ci.some(Number.isNaN)) return formatEffect(scale, estimate)
  return `${formatEffect(scale, estimate)} (${Math.round(confidence * 100)}% CI ${formatEffect(scale, ci[0])} to ${formatEffect(scale, ci[1])})`
}

/** A plain value to three significant digits, when the caller gives no unit-aware formatter. */
export function formatPlain (value: number): string {
  if (!Number.isFinite(value)) return String(value)
  return String(Number(value.toPrecision(3)))
}

/** A failure rate as a percentage: 0.00123 → `0.123%`. */
export function formatRate (rate: number): string {
  if (!Number.isFinite(rate)) return '–'
  const percent = rate * 100
  return `${percent === 0 ? '0' : percent >= 1 ? percent.toFixed(2) : String(Number(percent.toPrecision(3)))}%`
}

/** What would settle an inconclusive verdict, from the judgement's data factor and the current amount of data. */
export function moreDataAdvice (dataFactor: number, current: number, what: string): string {
  if (Number.isNaN(dataFactor)) return 'more data would narrow the interval'
  if (dataFactor > 100) return `the effect is too close to the limit for a feasible amount of ${what} to settle it`
  const needed = Math.ceil(current * dataFactor)
  return `roughly ${dataFactor < 10 ? dataFactor.toFixed(1) : dataFactor.toFixed(0)}× the data (about ${needed.toLocaleString('en-US')} ${what} per side) would likely settle it`
}
