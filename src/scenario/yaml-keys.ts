import { isAlias, isMap, isNode, isPair, isScalar, isSeq, type Document } from 'yaml'

/** Most aliases (`*name`) a scenario may use: `yaml` scans every anchor for each alias it resolves. */
export const maxAliases = 1000

/** A problem with the keys or aliases of a parsed document, at a character offset. */
export interface KeyProblem {
  offset: number
  message: string
  /** Where in the scenario, as path segments (`requests`, 0, `json`). */
  path: PropertyKey[]
}

/**
 * Checks in one pass what `yaml` would check, or trip over, too slowly: duplicate keys (its `uniqueKeys` check compares
 * each key with every earlier one), keys that are lists, mappings or aliases (`toJS` stringifies them again at every
 * level of nesting), more than `maxAliases` aliases, and `__proto__` keys (which would silently disappear).
 */
export function keyProblems (doc: Document): KeyProblem[] {
  const problems: KeyProblem[] = []
  let aliases = 0
  // iterative, so that nesting as deep as the parser accepted cannot overflow the stack here
  const pending: Array<[unknown, PropertyKey[]]> = [[doc.contents, []]]
  while (pending.length > 0) {
    const [node, path] = pending.pop() ?? [undefined, []]
    if (isAlias(node)) {
      aliases++
      if (aliases === maxAliases + 1) problems.push({ offset: node.range?.[0] ?? 0, message: `more than ${maxAliases} aliases; write the values out instead`, path })
    } else if (isMap(node)) {
      const seen = new Set<unknown>()
      for (const pair of node.items) {
        const key: unknown = pair.key
        const offset = isNode(key) ? key.range?.[0] ?? 0 : isNode(pair.value) ? pair.value.range?.[0] ?? 0 : 0
        if (isScalar(key) || key === null || key === undefined) {
          const value = isScalar(key) ? key.value : null
          const keyPath = [...path, typeof value === 'string' || typeof value === 'number' ? value : String(value)]
          if (seen.has(value)) problems.push({ offset, message: 'Map keys must be unique', path: keyPath })
          // JavaScript objects treat this name as their prototype, so the entry would vanish on the way to the service
          if (value === '__proto__') problems.push({ offset, message: 'the key "__proto__" is not allowed: JavaScript would drop it silently; rename it', path: keyPath })
          seen.add(value)
          pending.push([pair.value, keyPath])
        } else {
          problems.push({ offset, message: 'a key must be plain text, not a list, a mapping or an alias', path })
          pending.push([pair.value, path])
        }
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => pending.push([isPair(item) ? item.value : item, [...path, index]]))
    }
  }
  return problems
}
