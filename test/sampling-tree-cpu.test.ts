import { describe, expect, it } from 'vitest'
import { parseProcStat } from '../src/sampling/proc-stat.js'
import { processTree } from '../src/sampling/process-tree.js'
import { treeCpuDeltaSeconds, type ProcessCpu } from '../src/sampling/tree-cpu.js'
import { readFileSync } from 'node:fs'

/** A snapshot from `[pid, ppid, own, reaped, startedAt]` rows. */
function tree (...rows: Array<[number, number, number, number, number?]>): Map<number, ProcessCpu> {
  return new Map(rows.map(([pid, ppid, ownSeconds, reapedSeconds, startedAt]) => [pid, { ppid, ownSeconds, reapedSeconds, startedAt: startedAt ?? pid }]))
}

describe('tree CPU between two snapshots (numbers by hand)', () => {
  it('sums the growth of processes present in both', () => {
    // root 10 → 10.5, child 3 → 3.25
    expect(treeCpuDeltaSeconds(tree([1, 0, 10, 0], [2, 1, 3, 0]), tree([1, 0, 10.5, 0], [2, 1, 3.25, 0]))).toBeCloseTo(0.75, 12)
  })

  it('counts all of a process born since the previous snapshot', () => {
    // root +0.5, new child 2 has used 0.4 own and reaped 0.1 of its own children
    expect(treeCpuDeltaSeconds(tree([1, 0, 10, 0]), tree([1, 0, 10.5, 0], [2, 1, 0.4, 0.1]))).toBeCloseTo(1.0, 12)
  })

  it('counts only the last stretch of a child that exited and was reaped', () => {
    // child 2 had 3 s counted; it ended at 3.5 s and root's reaped CPU grew by all 3.5 s: 0.5 is new, plus root's own 0.5
    expect(treeCpuDeltaSeconds(tree([1, 0, 10, 0], [2, 1, 3, 0]), tree([1, 0, 10.5, 3.5]))).toBeCloseTo(1.0, 12)
  })

  it('handles a reaped chain: a grandchild reaped by a child that root then reaped', () => {
    // before: child 2 at 2 s, grandchild 3 at 1 s. Grandchild ends at 1.2 s, reaped by 2; child ends at 2.3 s own.
    // root's reaped CPU grows by 2.3 + 1.2 = 3.5; already counted 2 + 1 = 3; new: 0.5
    expect(treeCpuDeltaSeconds(tree([1, 0, 10, 0], [2, 1, 2, 0], [3, 2, 1, 0]), tree([1, 0, 10, 3.5]))).toBeCloseTo(0.5, 12)
  })

  it('counts a child born and reaped between two snapshots through its parent\'s reaped CPU', () => {
    expect(treeCpuDeltaSeconds(tree([1, 0, 10, 4]), tree([1, 0, 10.1, 4.6]))).toBeCloseTo(0.7, 12)
  })

  it('never goes negative when a child leaves without being reaped into the tree', () => {
    // child 2 (5 s) was orphaned out of the tree; root grew 0.2 and reaped nothing
    expect(treeCpuDeltaSeconds(tree([1, 0, 10, 0], [2, 1, 5, 0]), tree([1, 0, 10.2, 0]))).toBeCloseTo(0.2, 12)
  })

  it('treats a reused pid as a new process', () => {
    // pid 2 started at tick 100 before, at tick 900 now: the old one (5 s) was reaped, the new one used 0.3 s
    const before = tree([1, 0, 10, 0], [2, 1, 5, 0, 100])
    const now = tree([1, 0, 10, 5.1], [2, 1, 0.3, 0, 900])
    expect(treeCpuDeltaSeconds(before, now)).toBeCloseTo(0.1 + 0.3, 12)
  })

  it('counts a whole new tree after a restart (nothing survives)', () => {
    expect(treeCpuDeltaSeconds(tree([1, 0, 10, 0], [2, 1, 3, 0]), tree([7, 0, 0.4, 0], [8, 7, 0.2, 0]))).toBeCloseTo(0.6, 12)
  })

  it('is 0 for two empty snapshots', () => {
    expect(treeCpuDeltaSeconds(new Map(), new Map())).toBe(0)
  })
})

describe('process tree', () => {
  it('finds children and grandchildren, root first, and ignores other processes', () => {
    const parentOf = new Map([[1, 0], [10, 1], [11, 10], [12, 10], [13, 11], [20, 1], [21, 20]])
    expect(processTree(10, parentOf)).toEqual([10, 11, 12, 13])
  })

  it('is empty when the root is not there, and survives a cycle', () => {
    expect(processTree(5, new Map([[1, 0]]))).toEqual([])
    expect(processTree(2, new Map([[2, 3], [3, 2]]))).toEqual([2, 3])
  })
})

describe('/proc/PID/stat parsing', () => {
  it('reads fields after the last ")" when the command name has spaces and parentheses', () => {
    // fields 3.. of proc(5): state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
    // priority nice threads itrealvalue starttime vsize rss
    const line = '4242 (my (odd) name) ) S 17 4242 4242 0 -1 4194560 100 0 0 0 250 50 30 20 20 0 7 0 123456 99999 5000 18446744073709551615\n'
    expect(parseProcStat(line)).toEqual({
      pid: 4242, state: 'S', ppid: 17, utimeTicks: 250, stimeTicks: 50, cutimeTicks: 30, cstimeTicks: 20, startTicks: 123456, rssPages: 5000
    })
  })

  it('reads this very process', () => {
    const stat = parseProcStat(readFileSync('/proc/self/stat', 'latin1'))
    expect(stat?.pid).toBe(process.pid)
    expect(stat?.ppid).toBe(process.ppid)
    expect(stat?.rssPages).toBeGreaterThan(0)
  })

  it('refuses text that is not a stat line', () => {
    expect(parseProcStat('garbage')).toBeUndefined()
    expect(parseProcStat('12 (x) S 1 2')).toBeUndefined()
  })
})
