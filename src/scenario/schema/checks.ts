import { z } from 'zod'
import { duration, fraction, growth, ratePerSec, tolerance } from '../../core/unit-schemas.js'

/** Absolute service-level objectives per target. */
export const sloSchema = z.strictObject({
  p50: duration.optional(),
  p90: duration.optional(),
  p95: duration.optional(),
  p99: duration.optional(),
  p999: duration.optional(),
  max: duration.optional(),
  mean: duration.optional(),
  errorRate: fraction.optional().describe('Highest share of failed requests'),
  throughput: ratePerSec.optional().describe('Lowest mean throughput, requests per second'),
  droppedRate: fraction.optional().describe('Highest share of arrivals the generator dropped or sent late (default 1%)')
})

/** SLO limits with units already resolved (ms, fractions, requests per second). */
export type SloLimits = z.output<typeof sloSchema>

const toleranceFields = {
  p50: tolerance.optional(),
  p90: tolerance.optional(),
  p95: tolerance.optional(),
  p99: tolerance.optional(),
  throughput: tolerance.optional(),
  errorRate: tolerance.optional(),
  cpuPerRequest: tolerance.optional(),
  rssMean: tolerance.optional(),
  rssPeak: tolerance.optional(),
  capacity: tolerance.optional()
}

/** New-vs-old tolerances. */
export const compareSchema = z.strictObject(toleranceFields)

/** Comparison with a stored baseline. */
export const baselineCheckSchema = z.strictObject({
  file: z.string().min(1),
  ...toleranceFields,
  history: z.number().int().min(2).max(1000).optional()
    .describe('Write history.html and history.md into the run directory: the trend of this scenario over its newest N runs in the same reports folder, the baseline marked, steps between runs flagged')
})

const leakCheckForms = 'expected `auto` or a growth limit such as `{ maxGrowth: 5MB/min }`'

/**
 * Leak gate: a growth limit, or `auto` (statistical verdict only). `{ maxGrowth: auto }`, the
 * natural way to write the second form with the first's value, means `auto`.
 */
export const leakCheckSchema = z.union([
  z.literal('auto'),
  z.strictObject({ maxGrowth: z.union([z.literal('auto'), growth], { error: 'expected `auto` or a growth rate such as 5MB/min' }) })
], { error: leakCheckForms }).transform((value): 'auto' | { maxGrowth: number } =>
  value === 'auto' || value.maxGrowth === 'auto' ? 'auto' : { maxGrowth: value.maxGrowth })

/** Shadow gate. */
export const shadowCheckSchema = z.strictObject({ maxMismatchRate: fraction.optional() })

/** All checks that decide the verdict. */
export const checksSchema = z.strictObject({
  slo: sloSchema.optional(),
  compare: compareSchema.optional(),
  leak: leakCheckSchema.optional(),
  baseline: baselineCheckSchema.optional(),
  shadow: shadowCheckSchema.optional()
})
