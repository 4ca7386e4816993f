import type { ReportOutcome } from '../report/write-reports.js'
import type { ProgressSink } from '../run/progress.js'
import { silentProgress } from '../run/progress.js'
import { plainProgress, terminalProgress } from './progress-output.js'
import { killStartedServices } from '../targets/service.js'
import { exitCodes } from './exit-codes.js'

/** True in CI (the CI variable) or when stderr is not a terminal: plain lines, no live progress. */
export function isPlainOutput (env: Record<string, string | undefined>, stream: NodeJS.WriteStream): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0'
  return ci || stream.isTTY !== true
}

/** The progress display for this environment. */
export function progressFor (quiet: boolean, env: Record<string, string | undefined>, stream: NodeJS.WriteStream): ProgressSink {
  if (quiet) return silentProgress
  return isPlainOutput(env, stream) ? plainProgress(stream) : terminalProgress(stream)
}

/**
 * Runs a command's work with a Ctrl-C signal (see {@link interruptSignal}; a second Ctrl-C exits 130 at once) and
 * stops listening for Ctrl-C when the work is done. `signal.aborted` tells the work whether Ctrl-C came at any point.
 */
export async function withInterrupts<T> (work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const interrupt = interruptSignal(() => process.exit(exitCodes.interrupted))
  try {
    return await work(interrupt.signal)
  } finally {
    interrupt.dispose()
  }
}

/**
 * An AbortSignal for Ctrl-C and SIGTERM: the first stops the run gracefully, the second kills the services cutover
 * started (no grace: the user is done waiting, but nothing may be left running) and exits at once.
 */
export function interruptSignal (onSecond: () => void): { signal: AbortSignal, dispose: () => void } {
  const controller = new AbortController()
  const handler = (): void => {
    if (controller.signal.aborted) {
      const killed = killStartedServices()
      process.stderr.write(`\ninterrupted again: quitting now${killed > 0 ? `, ${killed} started service(s) killed` : ''}; result.json may be missing — cutover report <run dir> rebuilds it from the timeline\n`)
      onSecond()
      return
    }
    process.stderr.write('\ninterrupted: stopping the load and the services, writing what was measured (press Ctrl-C again to quit at once)\n')
    controller.abort()
  }
  process.on('SIGINT', handler)
  process.on('SIGTERM', handler)
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', handler)
      process.off('SIGTERM', handler)
    }
  }
}

/** Says which outputs could not be written (the measurements and the other outputs are safe), and how to retry. */
export function printReportFailures (failures: ReportOutcome['failures'], runDir: string): void {
  for (const failure of failures) {
    process.stderr.write(`could not write ${failure.writes}: ${failure.message} (run cutover report ${runDir} to retry)\n`)
  }
}
