/**
 * Turns an answer into what is compared: the status, the allow-listed headers, and the body parsed as JSON (else
 * text) with renames, masks and ignores applied. Ignored values are taken out and kept aside, so that how often they
 * differ can still be reported (as `ignored`) without ever counting against the new service.
 */

import { JSONPath } from 'jsonpath-plus'
import type { ShadowAnswer } from './answer.js'
import type { JsonValue } from './canonical.js'
import { generalizeAlong, pathSegments } from './paths.js'
import type { CompiledMask, CompiledRename, ShadowRules } from './rules.js'

/** A body as compared: parsed JSON, or text. */
export type NormalizedBody = { kind: 'json', value: JsonValue } | { kind: 'text', text: string }

/** A value taken out by an `ignore` rule, by its concrete JSONPath (`$['items'][0]['id']`). */
export interface IgnoredValue {
  /** Generalised path, as differences are counted. */
  path: string
  value: JsonValue
}

/** An answer ready to compare. */
export interface NormalizedAnswer {
  status: number
  error: string | undefined
  headers: Record<string, string>
  body: NormalizedBody
  ignored: Map<string, IgnoredValue>
}

/** Which service answered: renames apply to old answers only. */
export type AnswerSide = 'old' | 'new'

/** Stands in for an ignored array element, so the indices of the others do not shift. */
const ignoredElement = '\u0000cutover:ignored'

interface Match {
  path: string
  value: JsonValue
  parent: Record<string, JsonValue> | JsonValue[] | null
  parentProperty: string | number | null
}

function matches (document: JsonValue, path: string): Match[] {
  try {
    // jsonpath-plus answers undefined (not []) for a falsy document such as null or 0
    return (JSONPath({ path, json: document as object, eval: false, wrap: true, resultType: 'all' }) as Match[] | undefined) ?? []
  } catch {
    // checked up front; a path that cannot apply to this body selects nothing
    return []
  }
}

function looksLikeJson (answer: ShadowAnswer): boolean {
  const type = answer.headers['content-type'] ?? ''
  if (/json/i.test(type)) return true
  const start = answer.body.trimStart()[0]
  return start === '{' || start === '['
}

/** Parses the body as JSON when it says or looks so; text otherwise (and when it does not parse). */
export function parseBody (answer: ShadowAnswer): NormalizedBody {
  if (!answer.truncated && answer.body.trim() !== '' && looksLikeJson(answer)) {
    try {
      return { kind: 'json', value: JSON.parse(answer.body) as JsonValue }
    } catch { /* compared as text */ }
  }
  return { kind: 'text', text: answer.body }
}

function setChild (parent: Match['parent'], property: Match['parentProperty'], value: JsonValue): void {
  if (parent === null || property === null) return
  if (Array.isArray(parent)) parent[Number(property)] = value
  else parent[String(property)] = value
}

function removeChild (parent: Match['parent'], property: Match['parentProperty']): void {
  if (parent === null || property === null) return
  if (Array.isArray(parent)) parent[Number(property)] = ignoredElement
  else delete parent[String(property)]
}

function placeAt (document: JsonValue, segments: string[], value: JsonValue): void {
  let node: JsonValue | undefined = document
  for (let i = 1; i < segments.length - 1; i++) {
    const segment = segments[i] as string
    if (node === null || typeof node !== 'object') return
    if (Array.isArray(node)) {
      node = node[Number(segment)]
    } else {
      if (!Object.hasOwn(node, segment)) node[segment] = {}
      node = node[segment]
    }
  }
  const last = segments.at(-1) as string
  if (node !== null && typeof node === 'object' && !Array.isArray(node)) node[last] = value
}

/** Moves each value at the old path to the new path; each [*] of the new path takes the index the old one matched. */
export function applyRename (document: JsonValue, rename: CompiledRename): void {
  for (const match of matches(document, rename.from)) {
    const concrete = pathSegments(match.path)
    const matched = rename.fromSegments.flatMap((segment, i) => segment === '*' ? [concrete[i] ?? '0'] : [])
    const target = rename.toSegments.map((segment) => segment === '*' ? matched.shift() ?? '0' : segment)
    removeChild(match.parent, match.parentProperty)
    placeAt(document, target, match.value)
  }
}

function maskValue (value: JsonValue, mask: CompiledMask): JsonValue {
  if (typeof value === 'string') return value.replace(mask.pattern, mask.replace)
  if (typeof value === 'number') {
    const text = String(value)
    const masked = text.replace(mask.pattern, mask.replace)
    return masked === text ? value : masked
  }
  if (Array.isArray(value)) return value.map((item) => maskValue(item, mask))
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, JsonValue> = {}
    for (const [key, item] of Object.entries(value)) copy[key] = maskValue(item, mask)
    return copy
  }
  return value
}

/** Applies a mask to every string and number under its path (the whole body without one); returns the new body. */
export function applyMask (document: JsonValue, mask: CompiledMask): JsonValue {
  if (mask.path === undefined) return maskValue(document, mask)
  let result = document
  for (const match of matches(document, mask.path)) {
    if (match.parent === null) result = maskValue(match.value, mask)
    else setChild(match.parent, match.parentProperty, maskValue(match.value, mask))
  }
  return result
}

/** Takes the values matched by `path` out of the body into `ignored`; returns the body (a sentinel when it is all ignored). */
export function extractIgnored (document: JsonValue, path: string, ignored: Map<string, IgnoredValue>): JsonValue {
  let result = document
  for (const match of matches(document, path)) {
    if (ignored.has(match.path)) continue
    ignored.set(match.path, { path: generalizeAlong(document, pathSegments(match.path)), value: match.value })
    if (match.parent === null) result = ignoredElement
    else removeChild(match.parent, match.parentProperty)
  }
  return result
}

function pickHeaders (answer: ShadowAnswer, names: readonly string[]): Record<string, string> {
  const picked: Record<string, string> = {}
  for (const name of names) {
    const value = answer.headers[name]
    if (value !== undefined) picked[name] = value
  }
  return picked
}

/** The answer as compared: renames (old side), then masks, then ignores, in the order the scenario lists them. */
export function normalizeAnswer (answer: ShadowAnswer, rules: ShadowRules, side: AnswerSide): NormalizedAnswer {
  const ignored = new Map<string, IgnoredValue>()
  const headers = pickHeaders(answer, rules.headers)
  const parsed = parseBody(answer)
  if (parsed.kind === 'text') {
    let text = parsed.text
    for (const mask of rules.masks) if (mask.path === undefined) text = text.replace(mask.pattern, mask.replace)
    return { status: answer.status, error: answer.error, headers, body: { kind: 'text', text }, ignored }
  }
  let value = parsed.value
  if (side === 'old') for (const rename of rules.renames) applyRename(value, rename)
  for (const mask of rules.masks) value = applyMask(value, mask)
  for (const path of rules.ignore) value = extractIgnored(value, path, ignored)
  return { status: answer.status, error: answer.error, headers, body: { kind: 'json', value }, ignored }
}
