import type { Command } from 'commander'
import { CutoverError } from '../../core/errors.js'
import { runSmoke, type SmokeRow } from '../../run/run-smoke.js'
import { openWithFlags, withScenarioFlags, type ScenarioFlags } from '../scenario-option.js'
import { afterReports, exitCodeForResult } from '../exit-codes.js'
import { progressFor, withInterrupts } from '../io.js'
import { checkTargets, writeReportFiles } from './run.js'

/** Options of `cutover smoke`. */
export interface SmokeCommandOptions extends ScenarioFlags {
  iterations?: string
  out?: string
  target?: string[]
  quiet?: boolean
}

function parseIterations (value: string | undefined): number {
  if (value === undefined) return 1
  const count = Number(value)
  if (!Number.isInteger(count) || count < 1) throw new CutoverError('USAGE', `--iterations expects a whole number of at least 1, got "${value}"`)
  return count
}

/** The steps × targets table: PASS, FAIL with the reason, or `-` when the step did not run. */
export function smokeTable (rows: SmokeRow[], targets: string[]): string {
  const cell = (row: SmokeRow, target: string): string => {
    const figures = row.targets[target]
    if (figures === undefined) return '- not run'
    return figures.failures === 0 ? 'PASS' : `FAIL ${figures.reason ?? ''}${figures.runs > 1 ? ` (${figures.failures}/${figures.runs})` : ''}`
  }
  const table = [['step', ...targets], ...rows.map((row) => [row.step === 'request' ? row.journey : `${row.journey} › ${row.step}`, ...targets.map((target) => cell(row, target))])]
  const widths = table[0]?.map((_, column) => Math.max(...table.map((line) => (line[column] ?? '').length))) ?? []
  return table.map((line) => line.map((text, column) => text.padEnd(widths[column] ?? 0)).join('  ').trimEnd()).join('\n')
}

/** Runs `cutover smoke` and returns the exit code: 1 when any expectation failed. */
export async function smokeCommand (file: string, options: SmokeCommandOptions, processEnv: Record<string, string | undefined> = process.env): Promise<number> {
  const { scenario, env } = await openWithFlags(file, options, processEnv)
  checkTargets(scenario, options.target)
  const iterations = parseIterations(options.iterations)
  return await withInterrupts(async (signal) => {
    const { result, runDir, rows, contents } = await runSmoke(scenario, {
      out: options.out,
      only: options.target,
      iterations,
      progress: progressFor(options.quiet === true, env, process.stderr),
      signal,
      env
    })
    process.stdout.write(`${smokeTable(rows, Object.keys(result.targets))}\n`)
    const failed = result.checks.filter((check) => check.status === 'fail').length
    process.stdout.write(`smoke: ${failed === 0 ? 'PASS' : `FAIL (${failed} step${failed === 1 ? '' : 's'} failed)`}\n`)
    const reportsFailed = await writeReportFiles(contents)
    process.stdout.write(`run directory: ${runDir}\n`)
    return afterReports(exitCodeForResult(result, false, signal.aborted), reportsFailed)
  })
}

/** Registers `cutover smoke`. */
export function registerSmoke (program: Command, setExit: (code: number) => void): void {
  withScenarioFlags(program.command('smoke')
    .description('run every request and journey once against each target, check expectations, no load: the check between deploy and release')
    .argument('<scenario>', 'scenario file (.yaml, .yml, .json, or code: .ts, .js, .mjs)'))
    .option('-n, --iterations <n>', 'run everything this many times (default 1)')
    .option('-o, --out <dir>', 'run directory (default reports/<scenario>-<UTC timestamp>)')
    .option('--target <name...>', 'smoke only these targets')
    .option('-q, --quiet', 'no progress output')
    .action(async (file: string, options: SmokeCommandOptions) => { setExit(await smokeCommand(file, options)) })
}
