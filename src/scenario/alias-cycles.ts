/**
 * Finds a YAML alias that points back into its own container (`a: &x [*x]`). `yaml` turns it into a cyclic object,
 * which every later walk (templates, JSON bodies, reports) would follow forever.
 */

/** The path of the first back-reference in `data`, or undefined when the data is a tree (or a DAG of shared aliases). */
export function findAliasCycle (data: unknown): PropertyKey[] | undefined {
  const onPath = new Set<object>()
  const finished = new Set<object>()
  // iterative depth-first search: nesting as deep as the YAML parser allows must not overflow the stack here
  const stack: Array<{ node: object, path: PropertyKey[], keys: PropertyKey[], next: number }> = []
  const enter = (node: object, path: PropertyKey[]): void => {
    onPath.add(node)
    stack.push({ node, path, keys: Array.isArray(node) ? node.map((_, index) => index) : Object.keys(node), next: 0 })
  }
  if (data === null || typeof data !== 'object') return undefined
  enter(data, [])
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!
    if (top.next >= top.keys.length) {
      stack.pop()
      onPath.delete(top.node)
      finished.add(top.node)
      continue
    }
    const key = top.keys[top.next++]!
    const child = (top.node as Record<PropertyKey, unknown>)[key]
    if (child === null || typeof child !== 'object' || finished.has(child)) continue
    if (onPath.has(child)) return [...top.path, key]
    enter(child, [...top.path, key])
  }
  return undefined
}
