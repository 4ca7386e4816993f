/**
 * Structural diff of two JSON values into flat field paths with a kind, as Diffy does (`compare/Difference.scala`),
 * but with a mode per array: ordered (default; a pure reordering is one `order` difference), unordered (a multiset)
 * or keyed by a field. Array indices in paths become `[*]`.
 */

import { canonicalJson, jsonType, type JsonValue } from './canonical.js'
import { elementPath, memberPath, rootPath } from './paths.js'

/** What differs at a path. */
export type DiffKind = 'value' | 'type' | 'missing' | 'extra' | 'length' | 'order' | 'status' | 'header'

/** One difference: a generalised path and its kind. */
export interface FieldDifference {
  path: string
  kind: DiffKind
}

/** How the elements of an array are matched. */
export type ArrayMode = 'ordered' | 'unordered' | { key: string }

/** Array modes by generalised array path (`$.items`, `$.orders[*].lines`). */
export type ArrayModes = ReadonlyMap<string, ArrayMode>

/** Most distinct differences kept per comparison: a body that differs everywhere says so long before this. */
export const maxDifferencesPerComparison = 500

/** Collects differences once per (kind, path). */
class DifferenceList {
  readonly items: FieldDifference[] = []
  private readonly seen = new Set<string>()

  constructor (private readonly limit: number) {}

  get full (): boolean {
    return this.items.length >= this.limit
  }

  add (path: string, kind: DiffKind): void {
    const key = `${kind} ${path}`
    if (this.seen.has(key) || this.full) return
    this.seen.add(key)
    this.items.push({ path, kind })
  }
}

/** Differences from `before` (old) to `after` (new), starting at `path`. */
export function diffJson (before: JsonValue, after: JsonValue, arrays: ArrayModes = new Map(), path = rootPath, limit = maxDifferencesPerComparison): FieldDifference[] {
  const out = new DifferenceList(limit)
  diffValue(before, after, path, arrays, out)
  return out.items
}

function diffValue (before: JsonValue, after: JsonValue, path: string, arrays: ArrayModes, out: DifferenceList): void {
  if (out.full) return
  const typeBefore = jsonType(before)
  const typeAfter = jsonType(after)
  if (typeBefore !== typeAfter) {
    out.add(path, 'type')
    return
  }
  if (typeBefore === 'array') {
    diffArray(before as JsonValue[], after as JsonValue[], path, arrays, out)
  } else if (typeBefore === 'object') {
    diffObject(before as Record<string, JsonValue>, after as Record<string, JsonValue>, path, arrays, out)
  } else if (before !== after) {
    out.add(path, 'value')
  }
}

function diffObject (before: Record<string, JsonValue>, after: Record<string, JsonValue>, path: string, arrays: ArrayModes, out: DifferenceList): void {
  for (const key of Object.keys(before)) {
    const child = memberPath(path, key)
    if (!Object.hasOwn(after, key)) out.add(child, 'missing')
    else diffValue(before[key] as JsonValue, after[key] as JsonValue, child, arrays, out)
  }
  for (const key of Object.keys(after)) {
    if (!Object.hasOwn(before, key)) out.add(memberPath(path, key), 'extra')
  }
}

function diffArray (before: JsonValue[], after: JsonValue[], path: string, arrays: ArrayModes, out: DifferenceList): void {
  const mode = arrays.get(path) ?? 'ordered'
  if (typeof mode === 'object') {
    diffKeyed(before, after, mode.key, path, arrays, out)
    return
  }
  if (before.length !== after.length) {
    out.add(path, 'length')
    return
  }
  const textBefore = before.map(canonicalJson)
  const textAfter = after.map(canonicalJson)
  if (textBefore.every((text, i) => text === textAfter[i])) return
  const unmatched = multisetLeftovers(textBefore, textAfter)
  if (unmatched.before.length === 0) {
    // the same elements in another order
    if (mode === 'ordered') out.add(path, 'order')
    return
  }
  const element = elementPath(path)
  if (mode === 'ordered') {
    for (let i = 0; i < before.length; i++) {
      if (textBefore[i] !== textAfter[i]) diffValue(before[i] as JsonValue, after[i] as JsonValue, element, arrays, out)
    }
    return
  }
  // unordered: pair what is left over in canonical order, which lines up elements that differ in a little only
  const left = unmatched.before.sort((a, b) => compareText(textBefore[a], textBefore[b]))
  const right = unmatched.after.sort((a, b) => compareText(textAfter[a], textAfter[b]))
  left.forEach((i, n) => {
    const j = right[n]
    if (j !== undefined) diffValue(before[i] as JsonValue, after[j] as JsonValue, element, arrays, out)
  })
}

function compareText (a: string | undefined, b: string | undefined): number {
  return (a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0
}

/** Indices of the elements of each side that the other side has no equal copy of. */
function multisetLeftovers (before: string[], after: string[]): { before: number[], after: number[] } {
  const available = new Map<string, number[]>()
  after.forEach((text, j) => {
    const list = available.get(text)
    if (list === undefined) available.set(text, [j])
    else list.push(j)
  })
  const leftBefore: number[] = []
  before.forEach((text, i) => {
    const list = available.get(text)
    if (list === undefined || list.length === 0) leftBefore.push(i)
    else list.shift()
  })
  const leftAfter = [...available.values()].flat().sort((a, b) => a - b)
  return { before: leftBefore, after: leftAfter }
}

/** The identity of an element in a keyed array; an element without the key is matched with the element at its position. */
function keyOf (element: JsonValue, key: string, position: number): string {
  if (element !== null && typeof element === 'object' && !Array.isArray(element) && Object.hasOwn(element, key)) {
    return `k:${canonicalJson(element[key])}`
  }
  return `p:${position}`
}

function diffKeyed (before: JsonValue[], after: JsonValue[], key: string, path: string, arrays: ArrayModes, out: DifferenceList): void {
  const element = elementPath(path)
  const byKey = new Map<string, JsonValue[]>()
  after.forEach((item, j) => {
    const id = keyOf(item, key, j)
    const list = byKey.get(id)
    if (list === undefined) byKey.set(id, [item])
    else list.push(item)
  })
  before.forEach((item, i) => {
    const list = byKey.get(keyOf(item, key, i))
    const match = list?.shift()
    if (match === undefined) out.add(element, 'missing')
    else diffValue(item, match, element, arrays, out)
  })
  for (const list of byKey.values()) {
    if (list.length > 0) out.add(element, 'extra')
  }
}
