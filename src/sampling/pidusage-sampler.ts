import { execFile } from 'node:child_process'
import { performance } from 'node:perf_hooks'
import pidusage from 'pidusage'
import { cpuPercent } from './cpu-percent.js'
import type { ProcessSamplerOptions } from './proc-tree-sampler.js'
import { processTree } from './process-tree.js'
import type { RootPid } from './root-pid.js'
import { oneAtATime, type ResourceSample, type Sampler } from './sampler.js'
import { treeCpuDeltaSeconds, type ProcessCpu, type TreeCpu } from './tree-cpu.js'

/**
 * Fallback for systems without `/proc` (macOS, BSD, Windows), through pidusage.
 * Children are found with one `ps -A -o pid=,ppid=` per sample (not on Windows, where only the root is sampled).
 * Limits: pidusage gives no reaped-children CPU, so CPU of a child that exits between two samples is lost from the
 * previous sample on, and a child living less than one interval is not seen at all; pid reuse is not detected.
 */
export class PidusageSampler implements Sampler {
  readonly kind = 'pidusage'
  readonly source: string
  readonly sample: () => Promise<ResourceSample | undefined>
  private previousCpu: TreeCpu
  private previousAtMs: number

  private constructor (private readonly root: RootPid, baseline: TreeCpu | undefined, private readonly clock: () => number) {
    this.source = `process tree of ${root.description} (pidusage)`
    this.previousCpu = baseline ?? new Map()
    this.previousAtMs = clock()
    this.sample = oneAtATime(() => this.read())
  }

  /** Takes the CPU baseline the first sample is measured against. */
  static async create (root: RootPid, options: ProcessSamplerOptions = {}): Promise<PidusageSampler> {
    const pid = await root.current()
    const baseline = pid === undefined ? undefined : (await snapshot(pid))?.cpu
    return new PidusageSampler(root, baseline, options.clock ?? (() => performance.now()))
  }

  /** Nothing to release (pidusage's own history expires by itself). */
  async close (): Promise<void> {}

  private async read (): Promise<ResourceSample | undefined> {
    const pid = await this.root.current()
    const taken = pid === undefined ? undefined : await snapshot(pid)
    const atMs = this.clock()
    if (taken === undefined) return undefined
    const usedSeconds = treeCpuDeltaSeconds(this.previousCpu, taken.cpu)
    const wallMs = atMs - this.previousAtMs
    this.previousCpu = taken.cpu
    this.previousAtMs = atMs
    return { rssBytes: taken.rssBytes, cpuPercent: cpuPercent(usedSeconds, wallMs), processes: taken.cpu.size }
  }
}

async function snapshot (rootPid: number): Promise<{ cpu: Map<number, ProcessCpu>, rssBytes: number } | undefined> {
  // psParents always holds the root, so the tree is never empty
  const pids = process.platform === 'win32' ? [rootPid] : processTree(rootPid, await psParents(rootPid))
  let stats: Record<string, pidusage.Status | undefined>
  try {
    stats = await pidusage(pids)
  } catch {
    // `ps -p` fails as a whole when a child exited since the listing: try the root alone before giving up
    try {
      pids.splice(1)
      stats = await pidusage(pids)
    } catch {
      return undefined
    }
  }
  const root = stats[rootPid]
  if (root === undefined) return undefined
  const cpu = new Map<number, ProcessCpu>()
  let rssBytes = 0
  for (const pid of pids) {
    const stat = stats[pid]
    if (stat === undefined) continue
    cpu.set(pid, { ppid: stat.ppid, ownSeconds: stat.ctime / 1000, reapedSeconds: 0 })
    rssBytes += stat.memory
  }
  return { cpu, rssBytes }
}

/** Each process's parent from `ps`; just the root (parent unknown) when `ps` fails. */
function psParents (rootPid: number): Promise<Map<number, number>> {
  return new Promise((resolve) => {
    execFile('ps', ['-A', '-o', 'pid=,ppid='], { timeout: 5000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      const parentOf = new Map<number, number>()
      if (error === null) {
        for (const line of String(stdout).split('\n')) {
          const match = /^\s*(\d+)\s+(\d+)\s*$/.exec(line)
          if (match !== null) parentOf.set(Number(match[1]), Number(match[2]))
        }
      }
      if (!parentOf.has(rootPid)) parentOf.set(rootPid, 0)
      resolve(parentOf)
    })
  })
}
