/**
 * Ids in recorded paths: `/products/17` and `/products/42` are one request, `/products/{{ products.id }}`, whose ids
 * are read from a data file of the values seen. A segment is an id when it looks like one (a number, a UUID, a long
 * hex string) and varies between the calls of the same method and path shape; one that never varies stays literal.
 */
import { identifierFrom } from './naming.js'
import { dataTemplate, literalText } from './template-text.js'

/** A data column of ids: the data source, its column, and the distinct values seen, in the order first seen. */
export interface IdColumn {
  source: string
  column: string
  values: string[]
  /** The path shapes (`GET /products/{id}`) it stands in. */
  shapes: string[]
}

/** Each call's path with its varying ids as templates, its shape for people to read, and the id columns. */
export interface TemplatedPaths {
  /** Per call, in input order: `/products/{{ products.id }}`. */
  paths: string[]
  /** Per call: `/products/{id}`. */
  shapes: string[]
  columns: IdColumn[]
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** True for a path segment that looks like an id: digits, a UUID, or 8 or more hex digits with at least one digit. */
export function looksLikeId (segment: string): boolean {
  if (/^\d+$/.test(segment)) return true
  if (uuid.test(segment)) return true
  return /^[0-9a-f]{8,}$/i.test(segment) && /\d/.test(segment)
}

const idMark = '\u0000id'

/** The data source an id is read from: the segment before it (`products` for /products/17), else `ids`. */
function sourceBase (segments: readonly string[], index: number): string {
  const before = segments[index - 1]
  return before === undefined || before === '' || before === idMark ? 'ids' : identifierFrom(before, 'ids')
}

/**
 * Templates the ids of recorded calls. Calls are compared within the same method and path shape (ids masked); a
 * position becomes a data column when its values differ there. Columns named after the same segment share a source.
 */
export function templateIds (calls: ReadonlyArray<{ method: string, pathname: string }>): TemplatedPaths {
  const split = calls.map((call) => call.pathname.split('/'))
  const masked = split.map((segments) => segments.map((segment, index) => index > 0 && looksLikeId(segment) ? idMark : segment))
  const groupOf = calls.map((call, i) => `${call.method} ${(masked[i] ?? []).join('/')}`)
  // per group, per position: the distinct values seen
  const seen = new Map<string, Map<number, Set<string>>>()
  split.forEach((segments, i) => {
    const group = groupOf[i] ?? ''
    const positions = seen.get(group) ?? new Map<number, Set<string>>()
    seen.set(group, positions)
    masked[i]?.forEach((segment, index) => {
      if (segment !== idMark) return
      const values = positions.get(index) ?? new Set<string>()
      values.add(segments[index] ?? '')
      positions.set(index, values)
    })
  })
  const columns = new Map<string, IdColumn>()
  const known = new Map<string, Set<string>>()
  const paths: string[] = []
  const shapes: string[] = []
  split.forEach((segments, i) => {
    const positions = seen.get(groupOf[i] ?? '')
    const path: string[] = []
    const shape: string[] = []
    const used: IdColumn[] = []
    segments.forEach((segment, index) => {
      if ((positions?.get(index)?.size ?? 0) < 2) { path.push(literalText(segment)); shape.push(segment); return }
      const source = sourceBase(masked[i] ?? [], index)
      const column = columns.get(source) ?? { source, column: 'id', values: [], shapes: [] }
      columns.set(source, column)
      const values = known.get(source) ?? new Set<string>()
      known.set(source, values)
      if (!values.has(segment)) { values.add(segment); column.values.push(segment) }
      used.push(column)
      path.push(dataTemplate(source, column.column))
      shape.push('{id}')
    })
    const shapeText = shape.join('/')
    const named = `${calls[i]?.method ?? ''} ${shapeText}`
    for (const column of used) if (!column.shapes.includes(named)) column.shapes.push(named)
    paths.push(path.join('/'))
    shapes.push(shapeText)
  })
  return { paths, shapes, columns: [...columns.values()] }
}
