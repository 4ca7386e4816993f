/** Values of an OpenAPI operation's request: examples, values generated from schemas, query strings and bodies. */
import { sample } from 'openapi-sampler'
import { literalJson, literalText } from './template-text.js'

/** A JSON object of an OpenAPI document, read field by field. */
export type JsonObject = Record<string, unknown>

/** True for a JSON object (not an array, not null). */
export function isJsonObject (value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** A value found in the document, or none. */
export type Found = { found: true, value: unknown } | { found: false }

const none: Found = { found: false }

/**
 * The example an OpenAPI object (a parameter, a media type) gives: `example`, else the first of `examples`, which is a
 * map of Example objects in 3.0 and 3.1 (external values are not fetched), or a schema's array of values in 3.1.
 */
export function exampleOf (holder: unknown): Found {
  if (!isJsonObject(holder)) return none
  if (holder.example !== undefined) return { found: true, value: holder.example }
  const examples = holder.examples
  if (Array.isArray(examples) && examples.length > 0) return { found: true, value: examples[0] }
  if (isJsonObject(examples)) {
    for (const example of Object.values(examples)) {
      if (isJsonObject(example) && example.value !== undefined) return { found: true, value: example.value }
    }
  }
  return none
}

/** True when a schema names a value itself (an example, a default, an enum, a const) rather than only a type. */
export function schemaNamesValue (schema: unknown): boolean {
  if (!isJsonObject(schema)) return false
  if (exampleOf(schema).found || schema.default !== undefined || schema.const !== undefined) return true
  return Array.isArray(schema.enum) && schema.enum.length > 0
}

/**
 * A value generated from a schema by openapi-sampler (examples, defaults and enums first, then a value of the type);
 * `$ref`s left in circular schemas resolve against the document. Undefined when the schema gives nothing usable.
 */
export function sampleOf (schema: unknown, document: JsonObject, purpose: 'request' | 'parameter'): unknown {
  if (!isJsonObject(schema)) return undefined
  try {
    return sample(schema as Parameters<typeof sample>[0], { skipReadOnly: purpose === 'request', quiet: true, maxSampleDepth: 8 }, document)
  } catch {
    return undefined
  }
}

/** The value of a parameter: its own example, its content's example, or one from its schema (`fromSpec` false for a bare type). */
export function parameterValue (parameter: JsonObject, document: JsonObject): { value: unknown, fromSpec: boolean } {
  const own = exampleOf(parameter)
  if (own.found) return { value: own.value, fromSpec: true }
  if (isJsonObject(parameter.content)) {
    const media = Object.values(parameter.content)[0]
    const mediaExample = exampleOf(media)
    if (mediaExample.found) return { value: mediaExample.value, fromSpec: true }
    const schema = isJsonObject(media) ? media.schema : undefined
    return { value: sampleOf(schema, document, 'parameter'), fromSpec: schemaNamesValue(schema) }
  }
  return { value: sampleOf(parameter.schema, document, 'parameter'), fromSpec: schemaNamesValue(parameter.schema) }
}

/** A parameter value as text: strings as they are, other scalars printed, objects and arrays as JSON. */
export function textOf (value: unknown): string {
  if (value === undefined || value === null) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return JSON.stringify(value)
}

/**
 * `name=value` pairs of a query parameter, URL-encoded, as OpenAPI's `style` and `explode` say: form (the default;
 * arrays repeat the name when exploded, else join with commas), spaceDelimited, pipeDelimited and deepObject.
 */
export function queryPairs (name: string, value: unknown, style = 'form', explode = style === 'form'): string[] {
  const key = encodeURIComponent(name)
  if (Array.isArray(value)) {
    const items = value.map(textOf)
    if (style === 'form' && explode) return items.map((item) => `${key}=${encodeURIComponent(item)}`)
    const separator = style === 'spaceDelimited' ? ' ' : style === 'pipeDelimited' ? '|' : ','
    return [`${key}=${items.map(encodeURIComponent).join(encodeURIComponent(separator))}`]
  }
  if (isJsonObject(value)) {
    const entries = Object.entries(value)
    if (style === 'deepObject') return entries.map(([field, item]) => `${key}${encodeURIComponent(`[${field}]`)}=${encodeURIComponent(textOf(item))}`)
    if (explode) return entries.map(([field, item]) => `${encodeURIComponent(field)}=${encodeURIComponent(textOf(item))}`)
    return [`${key}=${entries.map(([field, item]) => `${encodeURIComponent(field)},${encodeURIComponent(textOf(item))}`).join(',')}`]
  }
  return [`${key}=${encodeURIComponent(textOf(value))}`]
}

/** A request body for a starter request: JSON, raw text with its content type, or a reason it was left out. */
export type StarterBody =
  | { kind: 'json', json: unknown }
  | { kind: 'text', body: string, contentType: string }
  | { kind: 'omitted', reason: string }

const isJsonMedia = (type: string): boolean => /^application\/(?:[\w.-]+\+)?json\b/i.test(type)

/** The example a media type gives, else a value generated from its schema (read-only properties left out). */
function valueOf (media: unknown, document: JsonObject): unknown {
  const example = exampleOf(media)
  if (example.found) return example.value
  return sampleOf(isJsonObject(media) ? media.schema : undefined, document, 'request')
}

/**
 * The body of an operation's requestBody: JSON when a JSON media type is described, else a form
 * (application/x-www-form-urlencoded) or plain text; XML, multipart and binary bodies are left out with the reason.
 */
export function requestBodyOf (requestBody: unknown, document: JsonObject): StarterBody | undefined {
  if (!isJsonObject(requestBody) || !isJsonObject(requestBody.content)) return undefined
  const content = requestBody.content
  const types = Object.keys(content)
  if (types.length === 0) return undefined
  const jsonType = types.find(isJsonMedia)
  if (jsonType !== undefined) {
    const value = valueOf(content[jsonType], document)
    return value === undefined ? { kind: 'omitted', reason: `no example or schema for ${jsonType}` } : { kind: 'json', json: literalJson(value) }
  }
  const formType = types.find((type) => type.toLowerCase() === 'application/x-www-form-urlencoded')
  if (formType !== undefined) {
    const value = valueOf(content[formType], document)
    const form = new URLSearchParams()
    if (isJsonObject(value)) for (const [name, item] of Object.entries(value)) form.append(name, textOf(item))
    return { kind: 'text', body: literalText(form.toString()), contentType: formType }
  }
  const textType = types.find((type) => /^text\//i.test(type))
  if (textType !== undefined) return { kind: 'text', body: literalText(textOf(valueOf(content[textType], document))), contentType: textType }
  return { kind: 'omitted', reason: `body left out: ${types.join(', ')} (write one by hand)` }
}
