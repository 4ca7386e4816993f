/** Rules worth adding to the scenario's `shadow` block: fields that differ even between two answers of old. */

/** A field as judged, for suggestions. */
export interface JudgedField {
  path: string
  kind: string
  noiseRate: number
  verdict: 'real' | 'noise' | 'ignored'
}

/** A rule to add to `shadow:`, and why. */
export interface ShadowSuggestion {
  /** `ignore` a body path, declare an array `unordered`, or drop a header from `headers`. */
  rule: 'ignore' | 'unordered' | 'header'
  path: string
  /** Highest noise rate seen for the path, over the endpoints. */
  noiseRate: number
}

/** Default share of requests on which old must differ from itself for a rule to be suggested. */
export const defaultSuggestNoiseRate = 0.5

/**
 * Paths that old changes by itself on at least `minNoiseRate` of requests and that are real nowhere: ignore a body
 * field, declare an array whose order alone varies unordered, drop a varying header from the allow-list.
 */
export function suggestRules (fields: readonly JudgedField[], minNoiseRate = defaultSuggestNoiseRate): ShadowSuggestion[] {
  const realPaths = new Set(fields.filter((field) => field.verdict === 'real').map((field) => field.path))
  const byKey = new Map<string, ShadowSuggestion>()
  for (const field of fields) {
    if (field.verdict !== 'noise' || field.noiseRate < minNoiseRate || realPaths.has(field.path)) continue
    let rule: ShadowSuggestion['rule'] | undefined
    if (field.kind === 'header') rule = 'header'
    else if (field.kind === 'order') rule = 'unordered'
    else if (field.path.startsWith('$') && field.kind !== 'status') rule = 'ignore'
    if (rule === undefined) continue
    const key = `${rule} ${field.path}`
    const known = byKey.get(key)
    if (known === undefined) byKey.set(key, { rule, path: field.path, noiseRate: field.noiseRate })
    else known.noiseRate = Math.max(known.noiseRate, field.noiseRate)
  }
  // a parent that is ignored covers its children
  const ignored = [...byKey.values()].filter((s) => s.rule === 'ignore').map((s) => s.path)
  const covered = (path: string): boolean => ignored.some((parent) => parent !== path && (path.startsWith(`${parent}.`) || path.startsWith(`${parent}[`)))
  return [...byKey.values()]
    .filter((s) => s.rule !== 'ignore' || !covered(s.path))
    .sort((a, b) => a.rule.localeCompare(b.rule) || a.path.localeCompare(b.path))
}
