/**
 * The `shadow:` block compiled into normalisation rules: JSONPath ignores, regular-expression masks, renames from
 * old paths to new ones, array modes and the header allow-list. Every path and pattern is checked up front, so a bad
 * rule is a usage error before anything is sent.
 */

import { JSONPath } from 'jsonpath-plus'
import { CutoverError, type ScenarioIssue } from '../core/errors.js'
import type { ScenarioConfig } from '../scenario/schema/scenario.js'
import type { ArrayMode } from './diff.js'
import { generalizeRulePath, isIndexSegment, pathSegments } from './paths.js'

/** The scenario's `shadow:` block. */
export type ShadowConfig = NonNullable<ScenarioConfig['shadow']>

/** A value mask: every match of `pattern` in a string (or number) is replaced, under `path` or everywhere. */
export interface CompiledMask {
  pattern: RegExp
  replace: string
  path: string | undefined
}

/** Moves the value at an old path to where the new service keeps it. */
export interface CompiledRename {
  from: string
  fromSegments: string[]
  toSegments: string[]
}

/** Everything normalisation and comparison need. */
export interface ShadowRules {
  ignore: string[]
  masks: CompiledMask[]
  renames: CompiledRename[]
  /** Array modes by generalised path. */
  arrays: Map<string, ArrayMode>
  /** Response headers compared, lower case. */
  headers: string[]
  mode: 'statistical' | 'diffy'
}

/** What masked text becomes when a mask sets no `replace`. */
export const defaultMaskReplacement = '<masked>'
/** Headers compared when `headers:` is not set. */
export const defaultComparedHeaders = ['content-type']

function checkJsonPath (path: string): string | undefined {
  try {
    // filters and scripts run only on the nodes they meet, so refuse them here rather than on the first answer
    if (pathSegments(path).some((segment) => /^[?(]/.test(segment))) return 'filter and script expressions are off'
    JSONPath({ path, json: {}, eval: false, wrap: true })
    return undefined
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}

/** Only names, indices and `*`: paths whose matches map one to one onto another path. */
function simpleSegments (path: string): string[] | undefined {
  const segments = pathSegments(path)
  if (segments[0] !== '$' || segments.length < 2) return undefined
  const plain = segments.slice(1).every((s) => s !== '..' && s !== '' && !/^[?(@^~]/.test(s) && !s.includes(','))
  return plain ? segments : undefined
}

/** Compiles and checks the `shadow:` block; a bad rule throws a CutoverError naming the field. */
export function compileShadowRules (config: ShadowConfig | undefined, file: string): ShadowRules {
  const issues: ScenarioIssue[] = []
  const problem = (field: string, message: string): void => { issues.push({ location: { file, field }, message }) }
  const ignore = config?.ignore ?? []
  ignore.forEach((path, i) => {
    const error = checkJsonPath(path)
    if (error !== undefined) problem(`shadow.ignore[${i}]`, `not a JSONPath cutover can evaluate (${error})`)
  })
  const masks: CompiledMask[] = []
  ;(config?.masks ?? []).forEach((mask, i) => {
    try {
      masks.push({ pattern: new RegExp(mask.pattern, 'g'), replace: mask.replace ?? defaultMaskReplacement, path: mask.path })
    } catch (error) {
      problem(`shadow.masks[${i}].pattern`, `not a regular expression: ${error instanceof Error ? error.message : String(error)}`)
    }
    if (mask.path !== undefined) {
      const error = mask.path.startsWith('$') ? checkJsonPath(mask.path) : 'it must start with $'
      if (error !== undefined) problem(`shadow.masks[${i}].path`, `not a JSONPath cutover can evaluate (${error})`)
    }
  })
  const renames: CompiledRename[] = []
  for (const [from, to] of Object.entries(config?.renames ?? {})) {
    const fromSegments = simpleSegments(from)
    const toSegments = simpleSegments(to)
    const field = `shadow.renames["${from}"]`
    if (fromSegments === undefined || toSegments === undefined) {
      problem(field, 'renames take plain paths of names, indices and [*] below $, such as $.items[*].price: $.items[*].amount')
      continue
    }
    if (isIndexSegment(fromSegments.at(-1) ?? '') || isIndexSegment(toSegments.at(-1) ?? '')) {
      problem(field, 'a rename moves a named field: both paths must end in a field name')
      continue
    }
    const wildcards = (segments: string[]): number => segments.filter((s) => s === '*').length
    if (wildcards(toSegments) > wildcards(fromSegments)) {
      problem(field, `"${to}" has more [*] than "${from}": each [*] of the new path takes the index matched by the old one`)
      continue
    }
    renames.push({ from, fromSegments, toSegments })
  }
  const arrays = new Map<string, ArrayMode>()
  for (const [path, mode] of Object.entries(config?.arrays ?? {})) {
    if (simpleSegments(path) === undefined && path !== '$') {
      problem(`shadow.arrays["${path}"]`, 'array modes take plain paths of names, indices and [*], such as $.items or $.orders[*].lines')
      continue
    }
    arrays.set(generalizeRulePath(path), mode)
  }
  if (issues.length > 0) {
    throw new CutoverError('SCENARIO_INVALID', `${file}: the shadow block has ${issues.length} problem(s)`, { issues })
  }
  const headers = (config?.headers ?? defaultComparedHeaders).map((name) => name.trim().toLowerCase()).filter((name) => name !== '')
  return { ignore, masks, renames, arrays, headers, mode: config?.mode ?? 'statistical' }
}
