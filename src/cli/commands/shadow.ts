import type { Command } from 'commander'
import { CutoverError } from '../../core/errors.js'
import { parseDurationMs } from '../../core/units.js'
import { openWithFlags, withScenarioFlags, type ScenarioFlags } from '../scenario-option.js'
import { formatDryRun, formatShadowSummary } from '../../shadow/format.js'
import { prepareShadow, type ShadowFlags } from '../../shadow/prepare.js'
import { runShadow } from '../../run/run-shadow.js'
import { afterReports, exitCodeForResult, exitCodes } from '../exit-codes.js'
import { progressFor, withInterrupts } from '../io.js'
import { parseSeed, writeReportFiles } from './run.js'

/** Options of `cutover shadow` as commander gives them. */
export interface ShadowCommandOptions extends ScenarioFlags {
  out?: string
  seed?: string
  rate?: string
  duration?: string
  requests?: string
  replay?: string
  allowMutating?: boolean
  dryRun?: boolean
  old?: string
  new?: string
  old2?: string
  timeout?: string
  strict?: boolean
  quiet?: boolean
}

function positiveNumber (flag: string, value: string | undefined, whole = false): number | undefined {
  if (value === undefined) return undefined
  const number = Number(value)
  if (!Number.isFinite(number) || number <= 0 || (whole && !Number.isInteger(number))) {
    throw new CutoverError('USAGE', `${flag} expects a ${whole ? 'whole ' : ''}number above 0, got "${value}"`)
  }
  return number
}

function duration (flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const ms = parseDurationMs(value)
  if (ms === undefined || ms <= 0) throw new CutoverError('USAGE', `${flag} expects a duration such as 500ms, 30s or 2m, got "${value}"`)
  return ms
}

/** The command-line options as shadow flags. */
export function shadowFlags (options: ShadowCommandOptions): ShadowFlags {
  return {
    ratePerSec: positiveNumber('--rate', options.rate),
    durationMs: duration('--duration', options.duration),
    requests: positiveNumber('--requests', options.requests, true),
    replay: options.replay,
    allowMutating: options.allowMutating,
    timeoutMs: duration('--timeout', options.timeout),
    old: options.old,
    new: options.new,
    old2: options.old2
  }
}

/** Loads the scenario, then lists (`--dry-run`) or runs the shadow traffic; returns the exit code. */
export async function shadowCommand (file: string, options: ShadowCommandOptions, processEnv: Record<string, string | undefined> = process.env): Promise<number> {
  const { scenario, env } = await openWithFlags(file, options, processEnv)
  const prepared = prepareShadow(scenario, shadowFlags(options))
  if (options.dryRun === true) {
    process.stdout.write(`${formatDryRun(prepared)}\n`)
    return exitCodes.pass
  }
  return await withInterrupts(async (signal) => {
    const { result, report, runDir, contents } = await runShadow(prepared, {
      out: options.out,
      seed: parseSeed(options.seed),
      progress: progressFor(options.quiet === true, env, process.stderr),
      signal,
      env
    })
    process.stdout.write(`${formatShadowSummary(result, report)}\n`)
    const reportsFailed = await writeReportFiles(contents)
    process.stdout.write(`run directory: ${runDir}\n`)
    return afterReports(exitCodeForResult(result, options.strict === true, signal.aborted), reportsFailed)
  })
}

/** Registers `cutover shadow`. */
export function registerShadow (program: Command, setExit: (code: number) => void): void {
  withScenarioFlags(program.command('shadow')
    .description('send read-only traffic to old (twice) and new at once, compare the answers, and separate real differences from noise')
    .argument('<scenario>', 'scenario file; its shadow: block sets requests, ignore, masks, arrays, headers, renames and mode'))
    .option('-o, --out <dir>', 'run directory (default reports/<scenario>-<UTC timestamp>)')
    .option('--seed <n>', 'seed for the request mix and templates, to repeat a run')
    .option('--rate <n>', 'shadowed requests per second (each is three calls); default: the scenario\'s phases')
    .option('--duration <duration>', 'how long to send, e.g. 30s (default 30s with --rate)')
    .option('--requests <n>', 'stop after this many shadowed requests')
    .option('--replay <file>', 'send recorded traffic (HAR, or NDJSON of {method, path, headers}) instead of the scenario\'s requests')
    .option('--allow-mutating', 'with --replay: also send recorded POST/PUT/PATCH/DELETE calls (each is sent three times)')
    .option('--dry-run', 'list what would be sent (method, path, weight) and send nothing')
    .option('--old <target>', 'target that plays old (default: "old", else the first target)')
    .option('--new <target>', 'target that plays new (default: "new", else the second target)')
    .option('--old2 <target>', 'a second instance of old for the noise answers (default: "old2" if present, else old is asked twice)')
    .option('--timeout <duration>', 'per-request timeout, overriding the scenario\'s (default 10s)')
    .option('--strict', 'treat an inconclusive verdict as a failure (exit 1)')
    .option('-q, --quiet', 'no progress output')
    .action(async (file: string, options: ShadowCommandOptions) => { setExit(await shadowCommand(file, options)) })
}
