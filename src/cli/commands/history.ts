import { existsSync, statSync } from 'node:fs'
import type { Command } from 'commander'
import { CutoverError } from '../../core/errors.js'
import { describeChange } from '../../report/history/history-model.js'
import { writeHistory } from '../../report/history/write-history.js'
import { exitCodes } from '../exit-codes.js'
import { shownPath } from '../../core/shown-path.js'

/** What `cutover history` takes besides the folders. */
export interface HistoryCommandOptions {
  out?: string
  scenario?: string
  last?: string
  baseline?: string
  failOnRegression?: boolean
}

function parseLast (value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const last = Number(value)
  if (!Number.isInteger(last) || last < 2) throw new CutoverError('USAGE', `--last expects a whole number of runs, at least 2, got "${value}"`)
  return last
}

/** Writes history.html and history.md from run directories and baselines, prints the steps, and returns the exit code. */
export function historyCommand (paths: string[], options: HistoryCommandOptions): number {
  const first = paths[0]
  const out = options.out ?? (first !== undefined && existsSync(first) && statSync(first).isDirectory() ? first : '.')
  const written = writeHistory(paths, out, { scenario: options.scenario, last: parseLast(options.last), acceptedBaseline: options.baseline })
  const { history } = written
  process.stdout.write(`${history.scenario}: ${history.runs.length} run(s), ${history.changes.length} step(s)\n`)
  for (const change of history.changes) process.stdout.write(`  ${change.direction === 'worse' ? 'worse ' : 'better'}  ${describeChange(change, history)}\n`)
  process.stdout.write(`${written.headline}\n`)
  if (written.sources.skipped.length > 0) process.stdout.write(`passed over ${written.sources.skipped.length} path(s): see history.html\n`)
  for (const file of written.files) process.stdout.write(`wrote ${shownPath(file)}\n`)
  return options.failOnRegression === true && written.verdict === 'fail' ? exitCodes.checkFailed : exitCodes.pass
}

/** Registers `cutover history`. */
export function registerHistory (program: Command, setExit: (code: number) => void): void {
  program.command('history')
    .description('the trend of a scenario across earlier runs and baselines: p50/p99, throughput, CPU per request, RSS, leak slope and capacity per run, with the steps between runs flagged (history.html, history.md)')
    .argument('<dir...>', 'run directories or folders of them (reports/), baseline files or folders of them (baselines/)')
    .option('-o, --out <dir>', 'where history.html and history.md go (default: the first folder given)')
    .option('--scenario <name>', 'the scenario to follow (default: the one with the most runs)')
    .option('--last <n>', 'only the newest n runs (the accepted baseline is kept)')
    .option('--baseline <file>', 'the accepted baseline to mark (default baselines/<scenario>.json when it exists)')
    .option('--fail-on-regression', 'exit 1 when a step for the worse still stands at the newest run')
    .action((paths: string[], options: HistoryCommandOptions) => { setExit(historyCommand(paths, options)) })
}
