import { readdirSync } from 'node:fs'
import { readProcStat, type ProcStat } from './proc-stat.js'
import { processTree } from './process-tree.js'
import type { ProcConstants } from './system-constants.js'
import type { ProcessCpu } from './tree-cpu.js'

/** A Linux process tree read from `/proc` at one moment. */
export interface ProcTreeSnapshot {
  rootPid: number
  /** Start time of the root, in ticks since boot. */
  rootStartTicks: number
  /** Per pid of the tree, for CPU deltas. */
  cpu: Map<number, ProcessCpu>
  /** Sum of the tree's resident memory. Pages shared between processes (code, memory inherited by fork) count once per process, as when adding up `ps`, so this overstates a forked tree's real use. */
  rssBytes: number
  /** Live processes in the tree (zombies left out). */
  processes: number
}

/**
 * Reads one process tree from `/proc`, finding children that appeared since the last read (`npm start` → sh → node).
 *
 * Every read lists `/proc` and reads `/proc/PID/stat` of the tree's members and of every pid not seen before. A pid
 * once read and found outside the tree is not read again while it lives: a running process only moves into a tree by
 * being re-parented to a subreaper inside it, which needs it to have been inside already; and pids are handed out in
 * order, so a pid number is not reused within one sampling interval. This keeps a read to a handful of files instead
 * of one per process on the machine (reading them all cost about 2% of a core per target at one sample a second).
 */
export class ProcTreeReader {
  private outside = new Set<number>()
  private tree = new Set<number>()
  private lastRootPid: number | undefined

  constructor (private readonly constants: ProcConstants) {}

  /** The tree under `rootPid` now; undefined when the root is gone or a zombie. */
  snapshot (rootPid: number): ProcTreeSnapshot | undefined {
    if (rootPid !== this.lastRootPid) {
      // another root (a restarted service): what was outside the old tree may be inside the new one
      this.outside.clear()
      this.tree.clear()
      this.lastRootPid = rootPid
    }
    // synchronous, like every /proc read here: tens of microseconds, cheaper than an async hop (see kernel-file.ts)
    const listed = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number)
    const live = new Set(listed)
    for (const pid of this.outside) if (!live.has(pid)) this.outside.delete(pid)
    const stats = new Map<number, ProcStat>()
    for (const pid of listed) {
      if (this.outside.has(pid)) continue
      // a process that exits meanwhile simply reads as undefined
      const stat = readProcStat(pid)
      if (stat !== undefined) stats.set(stat.pid, stat)
    }

    const root = stats.get(rootPid)
    if (root === undefined || root.state === 'Z' || root.state === 'X') return undefined
    const parentOf = new Map<number, number>()
    for (const stat of stats.values()) parentOf.set(stat.pid, stat.ppid)
    this.tree = new Set(processTree(rootPid, parentOf))
    for (const pid of stats.keys()) if (!this.tree.has(pid)) this.outside.add(pid)
    return this.summarize(root, stats)
  }

  private summarize (root: ProcStat, stats: ReadonlyMap<number, ProcStat>): ProcTreeSnapshot {
    const secondsPerTick = 1 / this.constants.clockTicksPerSec
    const cpu = new Map<number, ProcessCpu>()
    let rssPages = 0
    let processes = 0
    for (const pid of this.tree) {
      const stat = stats.get(pid)
      if (stat === undefined) continue
      cpu.set(pid, {
        ppid: stat.ppid,
        ownSeconds: (stat.utimeTicks + stat.stimeTicks) * secondsPerTick,
        reapedSeconds: (stat.cutimeTicks + stat.cstimeTicks) * secondsPerTick,
        startedAt: stat.startTicks
      })
      if (stat.state === 'Z' || stat.state === 'X') continue
      rssPages += stat.rssPages
      processes++
    }
    return { rootPid: root.pid, rootStartTicks: root.startTicks, cpu, rssBytes: rssPages * this.constants.pageSizeBytes, processes }
  }
}
