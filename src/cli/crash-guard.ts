import { killStartedServices } from '../targets/service.js'
import { exitCodes } from './exit-codes.js'

/**
 * Whatever ends cutover — a bug thrown from a timer, a rejected promise nobody awaited, process.exit on any path —
 * the services it started must not outlive it: they run in process groups of their own, so nothing else would stop
 * them. (Only SIGKILL of cutover itself escapes this.)
 */
export function guardAgainstCrashes (): void {
  const crash = (error: unknown): void => {
    process.stderr.write(`cutover: internal error (please report it): ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`)
    const killed = killStartedServices()
    if (killed > 0) process.stderr.write(`cutover: stopped ${killed} service(s) it had started; timeline.ndjson keeps what was measured (cutover report <run dir> rebuilds the result)\n`)
    process.exit(exitCodes.internal)
  }
  // `cutover run … | head`: a reader that went away is not a bug; the run directory is still written in full
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => { if (error.code !== 'EPIPE') crash(error) })
  }
  process.on('uncaughtException', crash)
  process.on('unhandledRejection', crash)
  process.on('exit', () => { killStartedServices() })
}
