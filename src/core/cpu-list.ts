/** Linux CPU lists (`start.cpus`, taskset, /proc): `1`, `2-3`, `0,2-3`. */

/** A Linux CPU list as taskset and /proc write it: `1`, `2-3`, `0,2-3`. */
export const cpuListPattern = /^\d+(-\d+)?(,\d+(-\d+)?)*$/

/** The ranges of a list that matches {@link cpuListPattern}, as written: `0,3-2` → [[0, 0], [3, 2]]. */
function rangesOf (list: string): Array<[number, number]> {
  return list.split(',').map((part) => {
    const [from, to = from] = part.split('-').map(Number) as [number, number?]
    return [from, to]
  })
}

/** The core numbers of a CPU list (`0,2-3` → [0, 2, 3]); throws on a range that runs backwards. */
export function parseCpuList (list: string): number[] {
  if (!cpuListPattern.test(list)) throw new Error(`not a CPU list: "${list}" (write cores as 1, 2-3 or 0,2-3)`)
  const cores = new Set<number>()
  for (const [from, to] of rangesOf(list)) {
    if (to < from) throw new Error(`the range ${from}-${to} runs backwards`)
    for (let core = from; core <= to; core++) cores.add(core)
  }
  return [...cores].sort((a, b) => a - b)
}

/** A CPU list for `cores` (sorted, runs as ranges): [0, 2, 3] → `0,2-3`. */
export function formatCpuList (cores: readonly number[]): string {
  const sorted = [...new Set(cores)].sort((a, b) => a - b)
  const parts: string[] = []
  for (let i = 0; i < sorted.length;) {
    let j = i
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] as number) + 1) j++
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`)
    i = j + 1
  }
  return parts.join(',')
}

/** True when every range of the list runs from low to high (`2-3`, not `3-2`). */
export function rangesRunForward (list: string): boolean {
  return rangesOf(list).every(([from, to]) => to >= from)
}
