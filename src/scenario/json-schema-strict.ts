/** Rewrites of zod's JSON Schema output that strict validators (ajv's strict mode) require. */
import type { z } from 'zod'

type JsonSchema = z.core.JSONSchema.JSONSchema

const oneSubschema = new Set(['items', 'additionalProperties', 'propertyNames', 'not', 'contains', 'if', 'then', 'else', 'unevaluatedProperties', 'unevaluatedItems'])
const subschemaLists = new Set(['anyOf', 'allOf', 'oneOf', 'prefixItems'])
const subschemaMaps = new Set(['properties', 'patternProperties', '$defs', 'dependentSchemas'])

/**
 * The same schema with
 * - `type: [a, b]` written as `anyOf: [{ type: a }, { type: b }]`, since ajv's strict mode refuses union types;
 * - `format` removed: zod writes formats of its own (`starts_with`, beside a `pattern` that says the same) and ones
 *   ajv knows only with ajv-formats (`uri`); draft 2020-12 treats `format` as an annotation anyway.
 */
export function strictJsonSchema (schema: JsonSchema): JsonSchema {
  if (Array.isArray(schema.type) && schema.anyOf !== undefined) {
    throw new Error('a schema with both a list of types and anyOf: write the types into the anyOf branches')
  }
  const out: JsonSchema = {}
  for (const [keyword, value] of Object.entries(schema)) {
    if (keyword === 'format') continue
    if (keyword === 'type' && Array.isArray(value)) {
      out.anyOf = value.map((type) => ({ type }))
    } else if (oneSubschema.has(keyword) && isSchema(value)) {
      out[keyword] = strictJsonSchema(value)
    } else if (subschemaLists.has(keyword) && Array.isArray(value)) {
      out[keyword] = value.map((item: JsonSchema) => strictJsonSchema(item))
    } else if (subschemaMaps.has(keyword) && isSchema(value)) {
      out[keyword] = Object.fromEntries(Object.entries(value).map(([name, item]) => [name, strictJsonSchema(item as JsonSchema)]))
    } else {
      out[keyword] = value
    }
  }
  return out
}

function isSchema (value: unknown): value is JsonSchema {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
