import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { HeapProbeCost } from '../core/result-types.js'

/** The probe preloaded into the node processes of a service started with `start.heap: true`. */
export const nodeHeapProbePath = fileURLToPath(new URL('../../probes/node-heap.cjs', import.meta.url))

/** A probe's last report is ignored when older than this many measurement periods (the process stalled or exited). */
const staleAfterPeriods = 5

/**
 * The live V8 heap of a started service's node processes: its probe writes, every `everyMs`, the heap still used after
 * the last major collection (the service's own, or one it forced within its CPU budget), one file per process.
 * Summed over the processes that reported recently.
 */
export class NodeHeapProbe {
  readonly dir = mkdtempSync(join(tmpdir(), 'cutover-heap-'))

  constructor (readonly everyMs: number) {}

  /** Environment for the start command: the probe and `--expose-gc` appended to any NODE_OPTIONS it already has. */
  env (existingNodeOptions: string | undefined): Record<string, string> {
    const options = [existingNodeOptions ?? '', `--require ${JSON.stringify(nodeHeapProbePath)}`, '--expose-gc'].filter((part) => part !== '').join(' ')
    return { NODE_OPTIONS: options, CUTOVER_HEAP_DIR: this.dir, CUTOVER_HEAP_EVERY_MS: String(this.everyMs) }
  }

  /** Every process's last report (a file being replaced is skipped: the next read has it). */
  private reports (): Array<Record<string, unknown>> {
    let names: string[]
    try {
      names = readdirSync(this.dir).filter((name) => name.endsWith('.json'))
    } catch {
      return []
    }
    return names.flatMap((name) => {
      try {
        return [JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as Record<string, unknown>]
      } catch {
        return []
      }
    })
  }

  /** Bytes of live heap over all reporting processes, or undefined before the first report. */
  read (nowEpochMs = Date.now()): number | undefined {
    return this.readHeap(nowEpochMs)?.usedBytes
  }

  /**
   * The live heap and the heap's committed size (V8 total_heap_size: RSS less this is the memory outside the heap,
   * which a growing heap does not drag along), summed over the processes that reported recently; committed is
   * undefined when some process did not report it.
   */
  readHeap (nowEpochMs = Date.now()): { usedBytes: number, committedBytes: number | undefined } | undefined {
    let used: number | undefined
    let committed: number | undefined = 0
    for (const report of this.reports()) {
      if (typeof report.heapUsedBytes !== 'number' || typeof report.atMs !== 'number') continue
      if (nowEpochMs - report.atMs > staleAfterPeriods * this.everyMs) continue
      used = (used ?? 0) + report.heapUsedBytes
      committed = typeof report.heapCommittedBytes === 'number' && committed !== undefined ? committed + report.heapCommittedBytes : undefined
    }
    if (used === undefined) return undefined
    return { usedBytes: used, committedBytes: committed !== undefined && committed >= used ? committed : undefined }
  }

  /**
   * What the probe cost the service so far, over every process that reported (those that exited too): collections it
   * forced and their time, against the CPU time the processes used; undefined before any report.
   */
  cost (): HeapProbeCost | undefined {
    const reports = this.reports()
    if (reports.length === 0) return undefined
    const sum = (key: string): number => reports.reduce((total, report) => total + (typeof report[key] === 'number' ? report[key] : 0), 0)
    const forcedGcMs = sum('forcedGcMs')
    const serviceCpuMs = sum('cpuMs')
    const wallMs = sum('uptimeMs')
    return {
      naturalGcs: sum('naturalGcs'),
      forcedGcs: sum('forcedGcs'),
      forcedGcMs,
      skippedForBudget: sum('skippedForBudget'),
      serviceCpuMs,
      forcedShare: serviceCpuMs > 0 ? forcedGcMs / serviceCpuMs : 0,
      forcedWallShare: wallMs > 0 ? forcedGcMs / wallMs : 0
    }
  }

  /** Removes the probe's folder. */
  close (): void {
    rmSync(this.dir, { recursive: true, force: true })
  }
}
