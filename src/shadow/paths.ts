/**
 * Field paths of differences, written as JSONPath so a path can be pasted into `ignore:` as is. Array indices are
 * generalised to `[*]` so that `$.items[3].price` and `$.items[7].price` count as one field, `$.items[*].price`.
 */

import { JSONPath } from 'jsonpath-plus'

/** The whole body. */
export const rootPath = '$'
/** Where a status-code difference is reported. */
export const statusPath = 'status'

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/

/** The path of member `key` of the object at `parent`: `$.a`, or `$['odd key']`. */
export function memberPath (parent: string, key: string): string {
  return identifier.test(key) ? `${parent}.${key}` : `${parent}['${key.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`
}

/** The path of any element of the array at `parent`. */
export function elementPath (parent: string): string {
  return `${parent}[*]`
}

/** Where a difference in response header `name` is reported: `headers.content-type`. */
export function headerPath (name: string): string {
  return `headers.${name.toLowerCase()}`
}

/** JSONPath segments of `path` (`$`, names, indices, `*`), copied: jsonpath-plus caches and shares its arrays. */
export function pathSegments (path: string): string[] {
  return [...JSONPath.toPathArray(path)]
}

/** True for a segment that selects array elements: an index or `*`. */
export function isIndexSegment (segment: string): boolean {
  return segment === '*' || /^\d+$/.test(segment)
}

/** A rule path generalised as differences are counted: `$.items[0].tags` and `$.items[*].tags` give `$.items[*].tags`. */
export function generalizeRulePath (path: string): string {
  let text = rootPath
  for (const segment of pathSegments(path).slice(1)) {
    text = isIndexSegment(segment) ? elementPath(text) : memberPath(text, segment)
  }
  return text
}

/** The generalised path of a concrete location, walking `document` to tell array indices from numeric member names. */
export function generalizeAlong (document: unknown, concrete: readonly string[]): string {
  let text = rootPath
  let node: unknown = document
  for (const segment of concrete.slice(1)) {
    if (Array.isArray(node)) {
      text = elementPath(text)
      node = node[Number(segment)]
    } else {
      text = memberPath(text, segment)
      node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[segment] : undefined
    }
  }
  return text
}
