/** Which processes belong to a tree, from each process's parent. */

/** `rootPid` and all its descendants (children, their children, …), root first; empty when the root is not in `parentOf`. */
export function processTree (rootPid: number, parentOf: ReadonlyMap<number, number>): number[] {
  if (!parentOf.has(rootPid)) return []
  const childrenOf = new Map<number, number[]>()
  for (const [pid, ppid] of parentOf) {
    const siblings = childrenOf.get(ppid)
    if (siblings === undefined) childrenOf.set(ppid, [pid])
    else siblings.push(pid)
  }
  const tree = [rootPid]
  const seen = new Set(tree)
  // breadth first; `seen` guards against a cycle in a racy snapshot
  for (let i = 0; i < tree.length; i++) {
    for (const child of childrenOf.get(tree[i] ?? -1) ?? []) {
      if (seen.has(child)) continue
      seen.add(child)
      tree.push(child)
    }
  }
  return tree
}
