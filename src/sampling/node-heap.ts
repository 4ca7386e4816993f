import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The probe preloaded into the node processes of a service started with `start.heap: true`. */
export const nodeHeapProbePath = fileURLToPath(new URL('../../probes/node-heap.cjs', import.meta.url))

/** A probe's last report is ignored when older than this many measurement periods (the process stalled or exited). */
const staleAfterPeriods = 5

/**
 * The live V8 heap of a started service's node processes: its probe runs a full GC every `everyMs` and writes the
 * heap still used after it, one file per process. Summed over the processes that reported recently.
 */
export class NodeHeapProbe {
  readonly dir = mkdtempSync(join(tmpdir(), 'cutover-heap-'))

  constructor (readonly everyMs: number) {}

  /** Environment for the start command: the probe and `--expose-gc` appended to any NODE_OPTIONS it already has. */
  env (existingNodeOptions: string | undefined): Record<string, string> {
    const options = [existingNodeOptions ?? '', `--require ${JSON.stringify(nodeHeapProbePath)}`, '--expose-gc'].filter((part) => part !== '').join(' ')
    return { NODE_OPTIONS: options, CUTOVER_HEAP_DIR: this.dir, CUTOVER_HEAP_EVERY_MS: String(this.everyMs) }
  }

  /** Bytes of live heap over all reporting processes, or undefined before the first report. */
  read (nowEpochMs = Date.now()): number | undefined {
    let total: number | undefined
    let names: string[]
    try {
      names = readdirSync(this.dir).filter((name) => name.endsWith('.json'))
    } catch {
      return undefined
    }
    for (const name of names) {
      try {
        const report = JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as { heapUsedBytes?: unknown, atMs?: unknown }
        if (typeof report.heapUsedBytes !== 'number' || typeof report.atMs !== 'number') continue
        if (nowEpochMs - report.atMs > staleAfterPeriods * this.everyMs) continue
        total = (total ?? 0) + report.heapUsedBytes
      } catch {
        // a file being replaced: the next sample reads it
      }
    }
    return total
  }

  /** Removes the probe's folder. */
  close (): void {
    rmSync(this.dir, { recursive: true, force: true })
  }
}
