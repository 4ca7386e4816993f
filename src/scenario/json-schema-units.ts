/** The unit texts of core/units.ts (durations, sizes, rates, percentages) written as JSON Schema, for editors. */
import type { z } from 'zod'
import { duration, fraction, growth, ratePerSec, size, tolerance } from '../core/unit-schemas.js'

type JsonSchema = z.core.JSONSchema.JSONSchema

// These patterns restate the regular expressions of core/units.ts, which keeps them private;
// test/scenario-json-schema.test.ts checks the two agree on generated texts.
const amount = String.raw`\d+(?:\.\d+)?`
const durationText = String.raw`\s*(?:${amount}\s*(?:us|ms|s|min|m|h)\s*)+`
const sizeText = String.raw`\s*${amount}\s*(?:[KkMmGgTt][Ii]?[Bb]|[Bb])?\s*`

/** Unit schemas read more than 100 characters no further (core/unit-schemas.ts). */
const maxUnitLength = 100

/** A unit written as text matching `pattern`, or (when `numbers` allows) a number of at least 0. */
function unitJsonSchema (description: string | undefined, pattern: string, numbers: boolean): JsonSchema {
  const text: JsonSchema = { type: 'string', maxLength: maxUnitLength, pattern: `^${pattern}$` }
  return {
    ...(description === undefined ? {} : { description }),
    ...(numbers ? { anyOf: [{ type: 'number', minimum: 0 }, text] } : text)
  }
}

/** The `$defs` every unit field refers to, named as the README names the units. */
export const unitDefinitions: Record<string, JsonSchema> = {
  duration: unitJsonSchema(duration.description, durationText, true),
  // a duration is longer than 0 exactly when one of its digits is not 0: every unit is a positive multiple
  positiveDuration: {
    description: 'A duration longer than 0: 500ms, 30s, 2m, 1h, or a number of milliseconds',
    anyOf: [
      { type: 'number', exclusiveMinimum: 0 },
      { type: 'string', maxLength: maxUnitLength, pattern: `^(?=[^1-9]*[1-9])${durationText}$` }
    ]
  },
  size: unitJsonSchema(size.description, sizeText, true),
  fraction: unitJsonSchema(fraction.description, String.raw`\s*${amount}\s*%\s*`, true),
  tolerance: unitJsonSchema(tolerance.description, String.raw`\s*[+-]?${amount}\s*(?:%|pp)\s*`, false),
  growth: unitJsonSchema(growth.description, String.raw`${sizeText}/\s*(?:s|sec|min|m|h|hour)\s*`, false),
  requestRate: unitJsonSchema(ratePerSec.description, String.raw`\s*${amount}\s*(?:/s|rps|req/s)?\s*`, true)
}

/** The `$defs` name of each zod unit schema, so that every field using it refers to one definition. */
export const unitDefinitionOf = new Map<unknown, string>([
  [duration, 'duration'],
  [size, 'size'],
  [fraction, 'fraction'],
  [tolerance, 'tolerance'],
  [growth, 'growth'],
  [ratePerSec, 'requestRate']
])
