import { z } from 'zod'
import { duration, fraction, growth, size, tolerance } from '../../core/unit-schemas.js'

const methods = 'GET|HEAD|OPTIONS|POST|PUT|PATCH|DELETE'

/** `proxy.rollout`: the feature-flag rollout's steps, hold, stickiness and gates. */
export const rolloutSchema = z.strictObject({
  steps: z.array(fraction).min(1).optional().describe('Shares of callers on new, increasing (default [1%, 5%, 25%, 50%, 100%])'),
  hold: duration.optional().describe('Least time each step runs before it is judged (default 5m)'),
  stickiness: z.string().regex(/^(?:header:[A-Za-z0-9!#$%&'*+.^_`|~-]+|cookie:[^=;,\s]+|ip)$/, 'expected header:NAME, cookie:NAME or ip').optional()
    .describe('What keeps a caller on one side: header:x-user-id, cookie:session or ip (default ip); a request without it is placed at random'),
  gates: z.strictObject({
    errorRate: tolerance.optional().describe('Allowed rise of new\'s error rate over old\'s in a step (default +0.5pp)'),
    p99: tolerance.optional().describe('Allowed rise of new\'s p99 latency over old\'s in a step (default +20%)'),
    memoryGrowth: z.union([z.literal('auto'), z.literal('off'), growth], { error: 'expected auto, off or a growth rate such as 5MB/min' }).optional()
      .describe('new\'s memory since the proxy started, judged at the end of every step by cutover\'s leak analysis and against old\'s growth: auto (a leak verdict fails, the default), a growth limit such as 5MB/min, or off')
  }).optional(),
  minRequests: z.number().int().min(1).max(1_000_000).optional().describe('Callers each side needs in a step before it is judged; the hold extends until then (default 100)')
}).superRefine((rollout, ctx) => {
  const steps = rollout.steps ?? []
  steps.forEach((share, index) => {
    if (share <= 0) ctx.addIssue({ code: 'custom', path: ['steps', index], message: 'a step sends a share above 0% to new' })
    if (index > 0 && share <= (steps[index - 1] ?? 0)) ctx.addIssue({ code: 'custom', path: ['steps', index], message: 'steps must increase' })
  })
  if (rollout.gates?.p99 !== undefined && rollout.gates.p99.kind !== 'relative') ctx.addIssue({ code: 'custom', path: ['gates', 'p99'], message: 'a latency gate is relative: +20%' })
})

/** `cutover proxy`: where it listens and how it mirrors live traffic to new. */
export const proxySchema = z.strictObject({
  listen: z.union([
    z.string().regex(/^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$|^\d{1,5}$/, 'expected host:port such as 127.0.0.1:8080, or a port'),
    z.number().int().min(0).max(65535)
  ]).optional().describe('Where callers connect: host:port, or a port on 127.0.0.1 (default 127.0.0.1:8080)'),
  mode: z.enum(['mirror', 'rollout']).optional().describe('mirror (default): every caller gets old\'s answer; read-only requests are also sent to new and reconciled. rollout: a growing share of callers goes to new behind gates, the rest mirrored'),
  rollout: rolloutSchema.optional(),
  noiseSample: fraction.optional().describe('Share of mirrored requests also sent to old a second time, to tell noise from real differences (default 10%)'),
  reportEvery: duration.optional().describe('How often result.json, report.html and summary.md are refreshed (default 1m)'),
  maxMirrorBody: size.optional().describe('Largest request or response body kept for the mirror; a larger one is answered but not mirrored (default 1MB)'),
  mirrorYield: z.union([z.literal('off'), fraction], { error: 'expected off or a utilization such as 80%' }).optional()
    .describe('The mirror takes no requests while the proxy\'s event loop is busier than this with callers (default 80%; it takes them again below three quarters of it); off mirrors whatever the load'),
  mirrorQueue: z.number().int().min(1).max(100_000).optional().describe('Mirror requests waiting or outstanding at most; more are dropped and counted (default 1000)'),
  allowMutating: z.array(z.string().regex(new RegExp(`^(?:${methods}) /\\S*$`), 'expected "METHOD /path", such as "POST /search" or "PUT /cache/*"')).optional()
    .describe('Mutating routes that may be mirrored ("POST /search", a trailing * matches any rest); read-only methods always are')
})
