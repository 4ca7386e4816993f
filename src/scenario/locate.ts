import { isMap, isNode, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair, type YAMLMap } from 'yaml'
import type { SourceLocation } from '../core/errors.js'

/** `phases[2].rate`, `targets.old.url`: a field path as users write it. */
export function formatFieldPath (path: ReadonlyArray<PropertyKey>): string {
  let text = ''
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`
    else text += text === '' ? String(part) : `.${String(part)}`
  }
  return text
}

const pairsByKey = new WeakMap<YAMLMap, Map<string, Pair>>()

/** The first pair of `map` whose scalar key reads `key`; indexed once per map, so that locating every one of many issues stays linear. */
function pairOf (map: YAMLMap, key: string): Pair | undefined {
  let index = pairsByKey.get(map)
  if (index === undefined) {
    index = new Map()
    for (const item of map.items) {
      if (!isScalar(item.key)) continue
      const text = String(item.key.value)
      if (!index.has(text)) index.set(text, item)
    }
    pairsByKey.set(map, index)
  }
  return index.get(key)
}

function nodeAt (doc: Document, path: ReadonlyArray<PropertyKey>): { node: Node | undefined, found: number } {
  let node: unknown = doc.contents
  let found = 0
  for (const part of path) {
    if (isMap(node)) {
      const pair = pairOf(node, String(part))
      if (pair === undefined) break
      node = pair.value
    } else if (isSeq(node) && typeof part === 'number') {
      const item = node.items[part]
      if (item === undefined) break
      node = item
    } else {
      break
    }
    found++
  }
  return { node: isNode(node) ? node : undefined, found }
}

/** The key node of `key` inside the map at `path`, for pointing at an unknown key itself. */
function keyNodeAt (doc: Document, path: ReadonlyArray<PropertyKey>, key: string): Node | undefined {
  const { node, found } = nodeAt(doc, path)
  if (found !== path.length || !isMap(node)) return undefined
  const pair = pairOf(node, key)
  return pair !== undefined && isNode(pair.key) ? pair.key : undefined
}

/** File, line and column of the value at `path` (or of the unknown `key` inside it, or of the nearest parent that exists). */
export function locate (file: string, doc: Document, lines: LineCounter, path: ReadonlyArray<PropertyKey>, key?: string): SourceLocation {
  const target = key === undefined ? nodeAt(doc, path).node : keyNodeAt(doc, path, key) ?? nodeAt(doc, path).node
  const field = formatFieldPath(key === undefined ? path : [...path, key])
  const offset = target?.range?.[0]
  if (offset === undefined) return { file, line: 1, column: 1, field }
  const position = lines.linePos(offset)
  return { file, line: position.line, column: position.col, field }
}

/** Like `locate`, but `offset` characters into a one-line string value (template errors point at the expression itself). */
export function locateWithin (file: string, doc: Document, lines: LineCounter, path: ReadonlyArray<PropertyKey>, offset: number): SourceLocation {
  const location = locate(file, doc, lines, path)
  const { node } = nodeAt(doc, path)
  if (!isScalar(node) || location.column === undefined) return location
  const source = typeof node.source === 'string' ? node.source : String(node.value)
  if (source.includes('\n')) return location
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE'
  // escapes in double-quoted text shift columns; only adjust when the raw text is the value itself
  if (node.type === 'QUOTE_DOUBLE' && source.includes('\\')) return location
  return { ...location, column: location.column + offset + (quoted ? 1 : 0) }
}

/** Line and column of a byte offset, for YAML syntax errors. */
export function positionOf (lines: LineCounter, offset: number): { line: number, column: number } {
  const position = lines.linePos(offset)
  return { line: position.line, column: position.col }
}
