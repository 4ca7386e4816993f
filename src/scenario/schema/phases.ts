import { z } from 'zod'
import { duration, ratePerSec } from '../../core/unit-schemas.js'

/** An open-model arrival rate: constant, or a linear ramp. */
export const rateSchema = z.union([
  ratePerSec,
  z.strictObject({ from: ratePerSec, to: ratePerSec })
]).describe('Arrivals per second (open model): a number, or { from, to } for a linear ramp')

/** One phase of the load profile. Exactly one of `rate` and `connections`. */
export const phaseSchema = z.strictObject({
  name: z.string().min(1),
  duration: duration,
  rate: rateSchema.optional(),
  connections: z.number().int().min(1).max(10_000).optional().describe('Closed model: fixed number of connections, each sending as fast as answers come'),
  maxInFlight: z.number().int().min(1).max(100_000).optional().describe('Open model: most requests outstanding at once; arrivals beyond it are dropped and counted (default 1000)')
}).superRefine((phase, ctx) => {
  const hasRate = phase.rate !== undefined
  const hasConnections = phase.connections !== undefined
  if (hasRate === hasConnections) {
    ctx.addIssue({
      code: 'custom',
      path: [],
      message: hasRate
        ? 'a phase has either `rate` (open model) or `connections` (closed model), not both'
        : 'a phase needs `rate` (open model, arrivals per second) or `connections` (closed model)'
    })
  }
  if (phase.duration <= 0) ctx.addIssue({ code: 'custom', path: ['duration'], message: 'a phase must last longer than 0' })
})

export type PhaseInput = z.input<typeof phaseSchema>
