import { z } from 'zod'
import { duration, ratePerSec } from '../../core/unit-schemas.js'

/** `cutover capacity` step search. */
export const capacitySchema = z.strictObject({
  start: ratePerSec.optional(),
  step: ratePerSec.optional(),
  stepDuration: duration.optional(),
  max: ratePerSec.optional(),
  ceilingHolds: z.number().int().min(0).max(10).refine((holds) => holds !== 1, 'one hold gives no interval: 0 (off) or 2 to 10').optional().describe('Closed-model holds after the search, each stepDuration long, whose answered rate measures the service\'s ceiling and gives the comparison its interval (default 3; 0 turns them off; one gives no interval)')
})

/** Run until settled: ABBA rounds of one phase are added until every old-vs-new comparison is pass or fail. */
export const settleSchema = z.strictObject({
  max: duration.optional().describe('Longest the whole run may take (default 10m)'),
  minRounds: z.number().int().min(4).max(1000).optional().describe('Rounds before the first look (default 6)'),
  phase: z.string().min(1).optional().describe('The phase whose rounds are added (default: the longest constant-rate phase that is compared)')
})

/** `cutover shadow` reconciliation settings. */
export const shadowSchema = z.strictObject({
  requests: z.array(z.string().min(1)).optional().describe('Names of requests to shadow (default: every read-only request)'),
  ignore: z.array(z.string().startsWith('$')).optional().describe('JSONPath of fields never compared'),
  masks: z.array(z.strictObject({ pattern: z.string().min(1), replace: z.string().optional(), path: z.string().optional() })).optional(),
  arrays: z.record(z.string(), z.union([z.enum(['ordered', 'unordered']), z.strictObject({ key: z.string().min(1) })])).optional(),
  headers: z.array(z.string()).optional().describe('Response headers compared (allow-list)'),
  renames: z.record(z.string(), z.string()).optional().describe('Old JSONPath → new JSONPath for deliberately renamed fields'),
  mode: z.enum(['statistical', 'diffy']).optional()
})

/** A data file that templates read rows from. */
export const dataSourceSchema = z.strictObject({
  file: z.string().min(1).describe('CSV (with a header row) or JSON (an array of objects), relative to the scenario'),
  order: z.enum(['random', 'sequential']).optional()
})

/** Sampling settings. */
export const samplingSchema = z.strictObject({
  interval: duration.optional().describe('Sampling interval, 100ms to 1m (default 1s)')
}).superRefine((value, ctx) => {
  if (value.interval !== undefined && (value.interval < 100 || value.interval > 60_000)) {
    ctx.addIssue({ code: 'custom', path: ['interval'], message: 'the sampling interval must be between 100ms and 1m' })
  }
})
