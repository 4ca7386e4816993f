import { Command, CommanderError } from 'commander'
import { isCutoverError } from '../core/errors.js'
import { toolVersion } from '../core/version.js'
import { registerBaseline } from './commands/baseline.js'
import { registerCapacity } from './commands/capacity.js'
import { registerDemo } from './commands/demo.js'
import { registerInit } from './commands/init.js'
import { registerHistory } from './commands/history.js'
import { registerMerge } from './commands/merge.js'
import { registerReport } from './commands/report.js'
import { registerShadow } from './commands/shadow.js'
import { registerProxy, registerRollout } from './commands/proxy.js'
import { registerRun } from './commands/run.js'
import { registerSmoke } from './commands/smoke.js'
import { registerValidate } from './commands/validate.js'
import { exitCodeForError, exitCodes } from './exit-codes.js'
import { guardAgainstCrashes } from './crash-guard.js'
import { printError } from './print-error.js'

/** What `cutover --help` says about exit codes (SPEC §4, and 70 for cutover's own failures). */
export const exitCodesHelp = `
Exit codes:
  0    the run passed (or was inconclusive without --strict)
  1    a check failed (an SLO, old vs new, a leak, the baseline, a smoke step)
  2    a usage or scenario error, or a refused merge
  3    a target could not be started, was unreachable, stopped answering or died
  70   cutover itself failed: a bug, a module that cannot load, or an output (report, chart) that could not be written
  130  interrupted (Ctrl-C or SIGTERM); what was measured is written`

/** The commander program with every command registered. */
export function createProgram (setExit: (code: number) => void): Command {
  const program = new Command()
  program.name('cutover')
    .description('load-test, compare and verify a new HTTP service before it replaces the old one')
    .version(toolVersion)
    .exitOverride()
    .showHelpAfterError('(run cutover --help for usage)')
    .addHelpText('after', exitCodesHelp)
  registerRun(program, setExit)
  registerValidate(program, setExit)
  registerCapacity(program, setExit)
  registerBaseline(program, setExit)
  registerDemo(program, setExit)
  registerReport(program, setExit)
  registerMerge(program, setExit)
  registerHistory(program, setExit)
  registerShadow(program, setExit)
  registerProxy(program, setExit)
  registerRollout(program, setExit)
  registerSmoke(program, setExit)
  registerInit(program, setExit)
  return program
}

/** Entry point of the `cutover` binary: the only place that exits the process. */
export async function main (argv: string[]): Promise<void> {
  guardAgainstCrashes()
  let exitCode: number = exitCodes.pass
  const program = createProgram((code) => { exitCode = code })
  try {
    await program.parseAsync(argv)
  } catch (error) {
    if (error instanceof CommanderError) {
      exitCode = error.exitCode === 0 ? 0 : exitCodes.usage
    } else if (isCutoverError(error)) {
      printError(error, process.stderr)
      exitCode = exitCodeForError(error.code)
    } else {
      process.stderr.write(`cutover: internal error (please report it): ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`)
      exitCode = exitCodes.internal
    }
  }
  process.exitCode = exitCode
  // load drivers may leave idle sockets; do not wait for them
  setTimeout(() => process.exit(exitCode), 200).unref()
}
