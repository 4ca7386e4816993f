/**
 * The program a live refresh runs: `node report-refresh.js <run dir> <checkpoint file>` (report-process.ts starts
 * it). It lowers its priority to nice 19 before it loads anything (its imports are all dynamic), then renders with
 * report-render.ts: when the proxy and the refresh share a core, callers come first.
 */
import { readdirSync } from 'node:fs'
import { setPriority } from 'node:os'

/** The niceness a refresh runs at: the lowest priority there is. */
const refreshNiceness = 19

/**
 * On Linux a thread's niceness is its own (setpriority on a thread id), and the threads Node.js started before this
 * line (V8's helpers, the libuv pool) keep theirs: each is lowered; threads started later inherit it. Elsewhere the
 * call lowers the whole process.
 */
function lowerEveryThread (): void {
  let threads: string[] = ['0']
  if (process.platform === 'linux') {
    try {
      threads = readdirSync('/proc/self/task')
    } catch {
      // no /proc: this thread only
    }
  }
  for (const id of threads) {
    try {
      setPriority(Number(id), refreshNiceness)
    } catch {
      // not allowed here, or the thread has ended: it renders at the priority it has
    }
  }
}

lowerEveryThread()
const { refreshReports } = await import('./report-render.js')
const [runDir, checkpointFile] = process.argv.slice(2)
process.stdout.write(`${JSON.stringify(await refreshReports(runDir, checkpointFile))}\n`)
