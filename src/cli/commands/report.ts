import { resolve } from 'node:path'
import type { Command } from 'commander'
import { summaryTable } from '../../report/summary-table.js'
import { writeReports } from '../../report/write-reports.js'
import { resultOfRunDir } from '../../run/rebuild-run.js'
import { exitCodes } from '../exit-codes.js'
import { printReportFailures } from '../io.js'

/** Re-renders the reports of a run directory; rebuilds result.json from the timeline when cutover was killed before writing it. */
export async function reportCommand (dir: string): Promise<number> {
  const runDir = resolve(dir)
  const { result, rebuilt } = resultOfRunDir(runDir, dir)
  if (rebuilt) process.stderr.write('result.json was missing: rebuilt from timeline.ndjson and marked incomplete\n')
  const { files, failures } = await writeReports(runDir)
  process.stdout.write(`${summaryTable(result)}\n`)
  for (const file of files) process.stdout.write(`wrote ${file}\n`)
  printReportFailures(failures, runDir)
  // an output that could not be written is cutover's failure, not the run's: never 0 and never 1
  return failures.length === 0 ? exitCodes.pass : exitCodes.internal
}

/** Registers `cutover report`. */
export function registerReport (program: Command, setExit: (code: number) => void): void {
  program.command('report')
    .description('re-render report.html, charts, summary.md and junit.xml of a run directory (rebuilds result.json after a crash)')
    .argument('<run-dir>', 'a run directory')
    .action(async (dir: string) => { setExit(await reportCommand(dir)) })
}
