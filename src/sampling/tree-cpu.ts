/**
 * CPU used by a process tree between two snapshots, robust to processes that start and exit in between.
 *
 * Each snapshot holds, per live pid of the tree, its own CPU (utime + stime) and the CPU of the children it
 * has waited for (cutime + cstime: the kernel adds a child's whole lifetime there when the parent reaps it).
 * The CPU of the interval is:
 * - for a process in both snapshots: the growth of its own CPU, plus the growth of its reaped-children CPU
 *   minus what earlier snapshots already counted of the processes it reaped (see below);
 * - for a process new since the previous snapshot: all its CPU (own and reaped), since it was born in between;
 * - for a process gone since the previous snapshot: nothing directly. Its CPU up to the previous snapshot was
 *   counted then; the rest reappears in the reaped-children CPU of the ancestor that waited for it, so that
 *   ancestor's growth is reduced by what was already counted (clamped at 0, never negative).
 * So short-lived children (a shell per request) are counted when reaped, an exited child is neither lost nor
 * subtracted, and the sum never goes negative. What is lost: a child orphaned out of the tree (its parent exited
 * first and init reaped it) stops counting when it leaves the tree.
 */

/** One process of a tree snapshot. CPU in seconds. */
export interface ProcessCpu {
  ppid: number
  /** utime + stime. */
  ownSeconds: number
  /** cutime + cstime: CPU of the children this process has waited for. 0 when the platform cannot say. */
  reapedSeconds: number
  /** Start time (any unit) that tells a reused pid from the same process; undefined when unknown. */
  startedAt?: number
}

/** A process tree at one moment, by pid. */
export type TreeCpu = ReadonlyMap<number, ProcessCpu>

/** CPU seconds the tree used between `previous` and `current` (see the module comment); never negative. */
export function treeCpuDeltaSeconds (previous: TreeCpu, current: TreeCpu): number {
  let usedSeconds = 0
  const reapedGrowth = new Map<number, number>()
  for (const [pid, now] of current) {
    const before = previous.get(pid)
    if (before !== undefined && sameProcess(before, now)) {
      usedSeconds += Math.max(0, now.ownSeconds - before.ownSeconds)
      reapedGrowth.set(pid, Math.max(0, now.reapedSeconds - before.reapedSeconds))
    } else {
      usedSeconds += now.ownSeconds + now.reapedSeconds
    }
  }
  for (const [pid, before] of previous) {
    const now = current.get(pid)
    if (now !== undefined && sameProcess(before, now)) continue
    const reaper = survivingAncestor(pid, previous, current)
    if (reaper === undefined) continue
    reapedGrowth.set(reaper, (reapedGrowth.get(reaper) ?? 0) - before.ownSeconds - before.reapedSeconds)
  }
  for (const growth of reapedGrowth.values()) usedSeconds += Math.max(0, growth)
  return usedSeconds
}

function sameProcess (before: ProcessCpu, now: ProcessCpu): boolean {
  return before.startedAt === undefined || now.startedAt === undefined || before.startedAt === now.startedAt
}

/** The nearest ancestor (by the previous snapshot's parents) still alive in `current`: the one that reaped `pid`. */
function survivingAncestor (pid: number, previous: TreeCpu, current: TreeCpu): number | undefined {
  const seen = new Set([pid])
  let parent = previous.get(pid)?.ppid
  while (parent !== undefined && !seen.has(parent)) {
    const before = previous.get(parent)
    if (before === undefined) return undefined
    const now = current.get(parent)
    if (now !== undefined && sameProcess(before, now)) return parent
    seen.add(parent)
    parent = before.ppid
  }
  return undefined
}
