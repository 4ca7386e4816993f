import { z } from 'zod'
import { duration } from '../../core/unit-schemas.js'

const methods = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'] as const

/** Status expectation: 200, [200, 201], "2xx". */
export const statusExpectation = z.union([
  z.number().int().min(100).max(599),
  z.string().regex(/^[1-5](?:xx|\d\d)$/, 'expected a status such as 200 or 2xx'),
  z.array(z.union([z.number().int().min(100).max(599), z.string().regex(/^[1-5](?:xx|\d\d)$/, 'expected a status such as 200 or 2xx')])).min(1)
])

/** What counts as a successful response. Keys starting with `$` are JSONPath into the body. */
export const expectSchema = z.object({
  status: statusExpectation.optional(),
  bodyContains: z.string().optional(),
  maxLatency: duration.optional()
}).catchall(z.unknown()).superRefine((value, ctx) => {
  for (const key of Object.keys(value)) {
    if (key === 'status' || key === 'bodyContains' || key === 'maxLatency') continue
    if (!key.startsWith('$')) {
      ctx.addIssue({ code: 'custom', path: [key], message: `unknown expectation "${key}": use status, bodyContains, maxLatency, or a JSONPath such as "$.currency"` })
    }
  }
}).describe('Expectations: status, bodyContains, maxLatency, and "$.json.path": value')

/** The name of a function the hooks module exports, or false for none. */
const hookChoice = z.union([z.string().regex(/^[A-Za-z_$][A-Za-z0-9_$]*$/, 'expected the name of a function the hooks module exports'), z.literal(false)])

/** Fields shared by named requests and inline journey steps. */
export const requestFields = {
  method: z.preprocess((value) => typeof value === 'string' ? value.toUpperCase() : value, z.enum(methods)).optional(),
  path: z.string().regex(/^(\/|\{\{)/, 'expected a path starting with /').describe('Path and query, templates allowed: /products/{{ randomInt(1, 5000) }}'),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.string().optional().describe('Raw body, templates allowed'),
  json: z.unknown().optional().describe('JSON body; strings that are one template keep the template\'s type'),
  timeout: duration.optional().describe('Per-request timeout (default 10s)'),
  expect: expectSchema.optional(),
  allowMutating: z.boolean().optional().describe('Allow `cutover shadow` to send this non-read-only request'),
  beforeRequest: hookChoice.optional().describe('A function of the hooks module that changes this request before it is sent (default: its `beforeRequest` export); false: none'),
  afterResponse: hookChoice.optional().describe('A function of the hooks module that judges this response (default: its `afterResponse` export); false: none')
}

/** A named request of the traffic mix. */
export const requestSchema = z.strictObject({
  name: z.string().min(1),
  weight: z.number().min(0).optional().describe('Relative weight in the mix (default 1)'),
  ...requestFields
})

export type RequestInput = z.input<typeof requestSchema>
