import type { z } from 'zod'
import type { Document, LineCounter } from 'yaml'
import type { ScenarioIssue } from '../core/errors.js'
import { didYouMean } from './did-you-mean.js'
import { knownKeysAt } from './known-keys.js'
import { locate } from './locate.js'

type Issue = z.core.$ZodIssue

/** Picks the union branch a user most likely meant: the one with the fewest problems, where a misspelt key counts as a typo. */
function likeliestBranch (branches: Issue[][], data: unknown, prefix: PropertyKey[]): Issue[] {
  let best: Issue[] = []
  let bestScore = Infinity
  for (const branch of branches) {
    const missing = branch
      .filter((issue) => issue.path.length === 1 && valueAt(data, [...prefix, ...issue.path]) === undefined)
      .map((issue) => String(issue.path[0]))
    const unknown = branch.flatMap((issue) => issue.code === 'unrecognized_keys' && issue.path.length === 0 ? issue.keys : [])
    const typos = unknown.filter((key) => didYouMean(key, missing) !== undefined).length
    // a missing key counts more than an unknown one; a missing key explained by a typo counts least
    // a branch that wants a plain value where the user wrote a mapping is the least likely one
    const shapeMiss = isMapping(valueAt(data, prefix)) && branch.some((issue) => issue.path.length === 0 && (issue.code === 'invalid_value' || issue.code === 'invalid_type')) ? 2 : 0
    const score = branch.reduce((sum, issue) => sum + (issue.code === 'unrecognized_keys' ? 1 : 1.5), 0) - typos + shapeMiss
    if (score < bestScore) {
      best = branch
      bestScore = score
    }
  }
  return best
}

function flatten (issues: Issue[], data: unknown, prefix: PropertyKey[] = []): Array<Issue & { fullPath: PropertyKey[] }> {
  return issues.flatMap((issue) => {
    const fullPath = [...prefix, ...issue.path]
    if (issue.code === 'invalid_union' && issue.errors.length > 0 && issue.errors.every((branch) => branch.length > 0)) {
      const branch = likeliestBranch(issue.errors, data, fullPath)
      // a union of plain values (e.g. number | "2xx") is better described as a whole
      if (branch.every((inner) => inner.path.length === 0 && inner.code !== 'unrecognized_keys' && inner.code !== 'custom')) {
        return [{ ...issue, fullPath }]
      }
      return flatten(branch, data, fullPath)
    }
    return [{ ...issue, fullPath }]
  })
}

function isMapping (value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function valueAt (data: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value = data
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<PropertyKey, unknown>)[part]
  }
  return value
}

function describeValue (value: unknown): string {
  if (value === null) return 'null'
  if (value === undefined) return 'nothing'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  // String() for what JSON cannot show: NaN and Infinity (JSON says null), and symbols (`!!merge x` gives one; JSON says undefined)
  const text = typeof value === 'number' || typeof value === 'symbol' ? String(value) : JSON.stringify(value) ?? String(value)
  return text.length > 40 ? `${text.slice(0, 37)}...` : text
}

const article = (word: string): string => /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`

function messageOf (issue: Issue, data: unknown, fullPath: PropertyKey[]): string {
  const value = valueAt(data, fullPath)
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return `missing required field "${String(fullPath.at(-1) ?? '')}"`
      return `expected ${article(issue.expected === 'object' ? 'mapping' : issue.expected === 'array' ? 'list' : issue.expected)}, got ${describeValue(value)}`
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(value)}`
    case 'too_small':
      if (issue.origin === 'array') return `needs at least ${String(issue.minimum)} item${issue.minimum === 1 ? '' : 's'}`
      if (issue.origin === 'string') return 'must not be empty'
      return `must be at least ${String(issue.minimum)}, got ${describeValue(value)}`
    case 'too_big':
      return `must be at most ${String(issue.maximum)}, got ${describeValue(value)}`
    case 'invalid_union':
      if (value === undefined) return `missing required field "${String(fullPath.at(-1) ?? '')}"`
      return `${issue.message.replace(/^Invalid input$/, 'invalid value')}: got ${describeValue(value)}`
    case 'invalid_format':
      if (issue.format === 'url') return `expected a URL such as http://127.0.0.1:3001, got ${describeValue(value)}`
      if (issue.format === 'starts_with') return `${issue.message.replace(/^Invalid string: must start with/, 'expected text starting with')}, got ${describeValue(value)}`
      return `${issue.message}, got ${describeValue(value)}`
    default:
      return issue.message
  }
}

/** Turns zod's issues into located, readable scenario issues, with did-you-mean hints for unknown keys. */
export function toScenarioIssues (file: string, doc: Document, lines: LineCounter, schema: z.ZodType, data: unknown, issues: Issue[]): ScenarioIssue[] {
  const result: ScenarioIssue[] = []
  const flat = flatten(issues, data)
  // a missing key next to an unknown key that is its misspelling is one mistake, reported once as the typo
  const unknownAt = new Map<string, string[]>()
  for (const issue of flat) {
    if (issue.code === 'unrecognized_keys') unknownAt.set(JSON.stringify(issue.fullPath), [...(unknownAt.get(JSON.stringify(issue.fullPath)) ?? []), ...issue.keys])
  }
  const isMisspeltMissing = (issue: Issue & { fullPath: PropertyKey[] }): boolean => {
    if (issue.code === 'unrecognized_keys' || valueAt(data, issue.fullPath) !== undefined) return false
    const siblings = unknownAt.get(JSON.stringify(issue.fullPath.slice(0, -1))) ?? []
    return siblings.some((key) => didYouMean(key, [String(issue.fullPath.at(-1))]) !== undefined)
  }
  for (const issue of flat) {
    if (isMisspeltMissing(issue)) continue
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(schema, issue.fullPath)
      for (const key of issue.keys) {
        const suggestion = didYouMean(key, known)
        const hint = suggestion === undefined ? (known.length > 0 ? `; known keys: ${known.join(', ')}` : '') : `; did you mean "${suggestion}"?`
        result.push({ location: locate(file, doc, lines, issue.fullPath, key), message: `unknown key "${key}"${hint}` })
      }
      continue
    }
    result.push({ location: locate(file, doc, lines, issue.fullPath), message: messageOf(issue, data, issue.fullPath) })
  }
  return result.sort((a, b) => (a.location.line ?? 0) - (b.location.line ?? 0) || (a.location.column ?? 0) - (b.location.column ?? 0))
}
