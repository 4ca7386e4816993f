/**
 * Compares two normalised answers: the status first (a different status makes body differences consequences, so they
 * are not listed), then the allow-listed headers, then the bodies; values taken out by `ignore` rules are compared
 * too, and their differences flagged as ignored.
 */

import type { JsonValue } from './canonical.js'
import { diffJson, type ArrayModes, type DiffKind, type FieldDifference } from './diff.js'
import type { NormalizedAnswer } from './normalize.js'
import { headerPath, rootPath, statusPath } from './paths.js'

/** A difference between two answers; `ignored` when it lies under an `ignore` rule. */
export interface AnswerDifference extends FieldDifference {
  ignored: boolean
}

function headerDifferences (before: NormalizedAnswer, after: NormalizedAnswer, names: readonly string[]): AnswerDifference[] {
  return names
    .filter((name) => before.headers[name] !== after.headers[name])
    .map((name) => ({ path: headerPath(name), kind: 'header' as DiffKind, ignored: false }))
}

function bodyDifferences (before: NormalizedAnswer, after: NormalizedAnswer, arrays: ArrayModes): FieldDifference[] {
  const a = before.body
  const b = after.body
  if (a.kind === 'json' && b.kind === 'json') return diffJson(a.value, b.value, arrays)
  if (a.kind !== b.kind) return [{ path: rootPath, kind: 'type' }]
  return a.kind === 'text' && b.kind === 'text' && a.text !== b.text ? [{ path: rootPath, kind: 'value' }] : []
}

function ignoredDifferences (before: NormalizedAnswer, after: NormalizedAnswer, arrays: ArrayModes): AnswerDifference[] {
  const out: AnswerDifference[] = []
  const seen = new Set<string>()
  const add = (difference: FieldDifference): void => {
    const key = `${difference.kind} ${difference.path}`
    if (seen.has(key)) return
    seen.add(key)
    out.push({ ...difference, ignored: true })
  }
  for (const [concrete, value] of before.ignored) {
    const other = after.ignored.get(concrete)
    if (other === undefined) add({ path: value.path, kind: 'missing' })
    else for (const difference of diffJson(value.value, other.value as JsonValue, arrays, value.path)) add(difference)
  }
  for (const [concrete, value] of after.ignored) {
    if (!before.ignored.has(concrete)) add({ path: value.path, kind: 'extra' })
  }
  return out
}

/** Every difference from `before` (old) to `after` (new or old again), headers compared from `headerNames`. */
export function compareAnswers (before: NormalizedAnswer, after: NormalizedAnswer, headerNames: readonly string[], arrays: ArrayModes): AnswerDifference[] {
  const headers = headerDifferences(before, after, headerNames)
  if (before.status !== after.status) {
    return [{ path: statusPath, kind: 'status', ignored: false }, ...headers]
  }
  const body = bodyDifferences(before, after, arrays).map((difference) => ({ ...difference, ignored: false }))
  return [...headers, ...body, ...ignoredDifferences(before, after, arrays)]
}
