import { readdirSync } from 'node:fs'
import { readProcStat } from '../sampling/proc-stat.js'
import { processTree } from '../sampling/process-tree.js'

/** `rootPid` and every descendant now (Linux /proc); just the root elsewhere. */
export function treePids (rootPid: number): number[] {
  if (process.platform !== 'linux') return [rootPid]
  const parentOf = new Map<number, number>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    const stat = readProcStat(Number(name))
    if (stat !== undefined && stat.state !== 'Z') parentOf.set(stat.pid, stat.ppid)
  }
  return processTree(rootPid, parentOf)
}

/** True while `pid` exists and is not a zombie. */
export function isAlive (pid: number): boolean {
  if (process.platform === 'linux') {
    const stat = readProcStat(pid)
    return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X'
  }
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Sends `signal` to each pid and to the process group of `groupPid`; missing processes are skipped. */
export function signalAll (pids: Iterable<number>, signal: NodeJS.Signals, groupPid?: number): void {
  if (groupPid !== undefined) {
    try { process.kill(-groupPid, signal) } catch { /* the group is gone */ }
  }
  for (const pid of pids) {
    try { process.kill(pid, signal) } catch { /* already gone */ }
  }
}
