/**
 * A live proxy's refreshed reports, each drawn by a process of its own. The proxy refreshes report.html, its charts
 * and summary.md every `proxy.reportEvery`; drawn on the callers' thread that took about 200 ms each time, a pause
 * every caller in it waited through (bench:proxy saw a 210 ms maximum while forwarding). The refresh's process
 * (report-refresh.ts) reads the run directory the proxy has just written and renders it at nice 19; the callers'
 * thread only waits for it to exit.
 *
 * A process, not a worker thread: a thread's memory stays in the proxy's process when the thread ends. Kept for the
 * run, a render thread's heap was seldom collected while idle (30-90 MB more after 60 refreshes); a thread per
 * refresh left the proxy's memory outside its heap growing with every refresh (bench:proxy's 10-minute soaks:
 * +0.43 MB/min, and +27 MB once the refreshes read a bounded timeline: the C allocator keeps what each thread used).
 * A process gives all of it back when it exits. What one refresh hands the next is a checkpoint file in the run
 * directory, removed when the proxy stops.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { thrownMessage } from '../core/thrown-message.js'

/** The checkpoint's name in the run directory while the proxy runs. */
export const checkpointFileName = '.live-refresh.json'

/** The refresh program: the built `.js`, or its `.ts` source through tsx (resolved from here) when tests run the sources. */
const refreshCommand: string[] = (() => {
  const built = fileURLToPath(new URL('./report-refresh.js', import.meta.url))
  if (existsSync(built)) return [built]
  return ['--import', import.meta.resolve('tsx'), fileURLToPath(new URL('./report-refresh.ts', import.meta.url))]
})()

/** What a failed refresh's stderr says: its error's line, not Node.js's version line after it. */
function errorLine (stderr: string): string {
  const lines = stderr.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('Node.js v'))
  return lines.find((line) => /\b\w*Error\b/.test(line)) ?? lines.at(-1) ?? ''
}

/** Whether a refresh's process has neither exited nor been ended by a signal. */
const stillRunning = (child: ChildProcess | undefined): child is ChildProcess => child !== undefined && child.exitCode === null && child.signalCode === null

/** Renders a run directory's live reports in a process of its own, one per refresh. */
export class ReportProcess {
  /** The refresh running now, if any. */
  private current: ChildProcess | undefined
  private closed = false
  /** Run directories refreshed, whose checkpoints are removed at the end. */
  private readonly checkpoints = new Set<string>()
  /** Ends a refresh still running, and removes the checkpoints, if the proxy exits without closing this. */
  private readonly onExit = (): void => { this.stop() }

  /** `timeoutMs`: a refresh still running after this long is ended (the next one starts from the last checkpoint). */
  constructor (private readonly timeoutMs = 120_000) {}

  /** Renders the reports of `runDir` as it is on disk now; resolves with what could not be written. Never rejects. */
  async render (runDir: string): Promise<string[]> {
    if (this.closed) return ['the report refresh was stopped']
    try {
      const checkpoint = join(runDir, checkpointFileName)
      if (this.checkpoints.size === 0) process.once('exit', this.onExit)
      this.checkpoints.add(checkpoint)
      const child = spawn(process.execPath, [...refreshCommand, runDir, checkpoint], { stdio: ['ignore', 'pipe', 'pipe'] })
      this.current = child
      let out = ''
      let err = ''
      child.stdout?.setEncoding('utf8').on('data', (text: string) => { out += text })
      child.stderr?.setEncoding('utf8').on('data', (text: string) => { err = (err + text).slice(-4000) })
      const deadline = setTimeout(() => { child.kill('SIGKILL') }, this.timeoutMs)
      const ended = await new Promise<number | string>((resolve) => {
        child.on('error', (error) => { resolve(error.message) })
        child.on('close', (code, signal) => { resolve(signal === 'SIGKILL' && !this.closed ? `no answer in ${Math.round(this.timeoutMs / 1000)} s` : code ?? signal ?? 'stopped') })
      }).finally(() => { clearTimeout(deadline) })
      // ended by close(): the proxy is stopping and writes its final reports itself
      if (this.closed && ended !== 0) return []
      const last = out.trim().split('\n').at(-1) ?? ''
      if (ended === 0 && last.startsWith('[')) return JSON.parse(last) as string[]
      const why = errorLine(err)
      return [`the report refresh ended with ${typeof ended === 'number' ? `code ${ended}` : ended}${why === '' ? '' : `: ${why}`}`]
    } catch (error) {
      return [`the report refresh could not run: ${thrownMessage(error)}`]
    } finally {
      this.current = undefined
    }
  }

  /** Ends a refresh still running and removes the checkpoints (synchronous: also run as the process exits). */
  private stop (): void {
    this.closed = true
    const child = this.current
    if (stillRunning(child)) child.kill('SIGKILL')
    for (const checkpoint of this.checkpoints) {
      try {
        rmSync(checkpoint, { force: true })
      } catch {
        // left in the run directory: the next run has a directory of its own
      }
    }
  }

  /** Ends a refresh still rendering, and removes the checkpoints; no refresh starts after. */
  async close (): Promise<void> {
    const child = this.current
    const exited = stillRunning(child) ? new Promise((resolve) => { child.once('close', resolve) }) : undefined
    this.stop()
    await exited
    process.removeListener('exit', this.onExit)
  }
}
