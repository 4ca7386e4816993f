/**
 * The loader's checks that zod cannot export (they live in refinements and preprocessing), restated in JSON Schema
 * where the language can say them, so that an editor flags what `cutover validate` would refuse.
 */
import type { z } from 'zod'
import { capacitySchema } from './schema/extras.js'
import { phaseSchema } from './schema/phases.js'
import { expectSchema, requestFields, requestSchema } from './schema/requests.js'
import { scenarioSchema } from './schema/scenario.js'
import { unitDefinitionOf } from './json-schema-units.js'

type JsonSchema = z.core.JSONSchema.JSONSchema

const methodSchema = requestFields.method.unwrap()
const methods: readonly string[] = methodSchema.out.options

/** `get` and `Get` as well as `GET`: the loader upper-cases the method before it checks it. */
const anyCase = (word: string): string => [...word].map((letter) => `[${letter}${letter.toLowerCase()}]`).join('')

/**
 * `required` with the keys named again under `properties`: ajv's strict mode refuses a `required` key that its own
 * schema does not define, and it reads `oneOf` and `not` before the object's `properties`.
 */
const present = (...keys: string[]): JsonSchema => ({ required: keys, properties: Object.fromEntries(keys.map((key) => [key, {}])) })

/** Properties of an object schema, created when zod gave none. */
function propertiesOf (json: JsonSchema): Record<string, JsonSchema> {
  json.properties ??= {}
  return json.properties as Record<string, JsonSchema>
}

/** Additions to the JSON Schema zod made for one of the scenario's zod schemas, found by identity. */
const additions = new Map<unknown, (json: JsonSchema) => void>([
  [phaseSchema, (phase) => {
    // phases.ts refines: exactly one of `rate` and `connections`, and a duration longer than 0
    phase.oneOf = [present('rate'), present('connections')]
    propertiesOf(phase).duration = { $ref: '#/$defs/positiveDuration' }
  }],
  [requestSchema, (request) => {
    // scenario.ts refines: a named request has `body` or `json`, not both (an inline journey step may have both)
    request.not = present('body', 'json')
  }],
  [scenarioSchema, (scenario) => {
    const properties = propertiesOf(scenario)
    // scenario.ts refines: at least one target, and at least one request or journey
    if (properties.targets !== undefined) properties.targets.minProperties = 1
    scenario.anyOf = ['requests', 'journeys'].map((key) => ({ required: [key], properties: { [key]: { type: 'array', minItems: 1 } } }))
  }],
  [expectSchema, (expectation) => {
    // requests.ts refines: besides status, bodyContains and maxLatency, only JSONPath keys such as "$.currency"
    expectation.patternProperties = { '^\\$': {} }
    expectation.additionalProperties = false
  }],
  [capacitySchema, (capacity) => {
    // extras.ts refines: one hold gives no interval
    const holds = propertiesOf(capacity).ceilingHolds
    if (holds !== undefined) holds.not = { const: 1 }
  }],
  [methodSchema, (method) => {
    // requests.ts upper-cases the method before it checks it: `get` is a GET; the enum stays for completion
    delete method.enum
    delete method.type
    method.anyOf = [{ enum: [...methods] }, { type: 'string', pattern: `^(?:${methods.map(anyCase).join('|')})$` }]
  }]
])

/**
 * zod's `override` hook: says in JSON Schema what the loader checks in code, and makes every unit field refer to its
 * `$defs` entry (see json-schema-units.ts).
 */
export function addLoaderChecks ({ zodSchema, jsonSchema }: { zodSchema: unknown, jsonSchema: JsonSchema }): void {
  const unit = unitDefinitionOf.get(zodSchema)
  if (unit !== undefined) {
    for (const key of Object.keys(jsonSchema)) delete jsonSchema[key]
    jsonSchema.$ref = `#/$defs/${unit}`
  }
  additions.get(zodSchema)?.(jsonSchema)
}
