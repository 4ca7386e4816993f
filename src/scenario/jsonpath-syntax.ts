/** Why `path` is not a JSONPath cutover can evaluate (`$.a.b`, `$.items[0].id`, `$['x']`, `$..id`, `$.a[*]`, `$.a[0:2]`), or undefined when it is. */
export function jsonPathProblem (path: string): string | undefined {
  if (!path.startsWith('$')) return 'a JSONPath starts with "$"'
  let i = 1
  const name = /[A-Za-z_$][\w$-]*/y
  while (i < path.length) {
    const rest = path.slice(i)
    if (rest.startsWith('..') || rest.startsWith('.')) {
      i += rest.startsWith('..') ? 2 : 1
      if (path[i] === '*') { i++; continue }
      if (rest.startsWith('..') && path[i] === '[') continue
      name.lastIndex = i
      const match = name.exec(path)
      if (match === null) return `expected a field name after "." at character ${i + 1}`
      i += match[0].length
      continue
    }
    if (rest.startsWith('[')) {
      const end = bracketEnd(path, i)
      if (end === undefined) return `"[" at character ${i + 1} has no closing "]"`
      const inner = path.slice(i + 1, end).trim()
      const problem = bracketProblem(inner)
      if (problem !== undefined) return `${problem} in "[${inner}]"`
      i = end + 1
      continue
    }
    return `unexpected "${path[i] ?? ''}" at character ${i + 1}: use .field or [index]`
  }
  return undefined
}

function bracketEnd (path: string, open: number): number | undefined {
  let depth = 0
  let quote: string | undefined
  for (let i = open; i < path.length; i++) {
    const char = path[i]
    if (quote !== undefined) {
      if (char === '\\') i++
      else if (char === quote) quote = undefined
      continue
    }
    if (char === '\'' || char === '"') quote = char
    else if (char === '[' || char === '(') depth++
    else if (char === ']' || char === ')') {
      depth--
      if (depth === 0) return char === ']' ? i : undefined
    }
  }
  return undefined
}

const index = /^-?\d+$/
const slice = /^-?\d*:-?\d*(:-?\d+)?$/
const quoted = /^(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")$/

function bracketProblem (inner: string): string | undefined {
  if (inner === '') return 'empty brackets'
  if (inner === '*' || index.test(inner) || slice.test(inner) || quoted.test(inner)) return undefined
  // filters and script expressions would need eval, which cutover turns off
  if (/^\??\(.*\)$/s.test(inner)) return 'filter and script expressions are not supported'
  const items = inner.split(',').map((item) => item.trim())
  if (items.length > 1 && items.every((item) => index.test(item) || quoted.test(item))) return undefined
  return 'expected an index, a quoted name, * or a slice'
}
