import { z } from 'zod'
import { duration } from '../../core/unit-schemas.js'
import { expectSchema, requestFields } from './requests.js'

/** Values taken from a response: JSONPath (`$.id`), `header:Name`, or `regex:pattern`. */
export const captureSchema = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a variable name'), z.string().min(1))
  .describe('Variables captured from the response: "$.json.path", "header:Name" or "regex:pattern with (group)"')

const stepByName = z.strictObject({
  name: z.string().optional(),
  request: z.string().min(1).describe('Name of a request in `requests`'),
  capture: captureSchema.optional(),
  expect: expectSchema.optional()
})

const inlineStep = z.strictObject({
  name: z.string().optional(),
  ...requestFields,
  capture: captureSchema.optional()
})

const thinkStep = z.strictObject({ think: duration })

/** A journey step: a named request, an inline request, or a pause. */
export const stepSchema = z.union([thinkStep, stepByName, inlineStep])

/** An operation script that behaves like a user. */
export const journeySchema = z.strictObject({
  name: z.string().min(1),
  weight: z.number().min(0).optional(),
  steps: z.array(stepSchema).min(1)
})
