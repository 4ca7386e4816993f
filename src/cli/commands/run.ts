import { join } from 'node:path'
import type { Command } from 'commander'
import type { RunResult } from '../../core/result-types.js'
import { renderReports } from '../../report/write-reports.js'
import { resolveBaselineFile } from '../../baseline/baseline-for-check.js'
import { baselinePath, updateBaseline } from '../../baseline/save-baseline.js'
import { runScenario, type RunOutcome } from '../../run/run-scenario.js'
import type { SettleOptions } from '../../run/settle-rounds.js'
import type { RunDirContents } from '../../rundir/read-run-dir.js'
import type { LoadedScenario } from '../../scenario/load.js'
import { summaryTable } from '../../report/summary-table.js'
import { afterReports, exitCodeForResult, exitCodes } from '../exit-codes.js'
import { printReportFailures, progressFor, withInterrupts } from '../io.js'
import { CutoverError, isCutoverError } from '../../core/errors.js'
import { writeRunHistory } from '../../report/history/run-history.js'
import { writeResultFile } from '../../rundir/result-file.js'
import { parseDurationMs } from '../../core/units.js'
import { shardOptions, type ShardFlags } from '../shard-option.js'
import { describeShare } from '../../plan/share.js'
import { workerCount } from '../../run/worker-count.js'
import { openWithFlags, withScenarioFlags, type ScenarioFlags } from '../scenario-option.js'
import { lingerForLastScrape, metricsSettings, openMetricsEndpoint, type MetricsFlags } from '../metrics-option.js'

/** Options shared by commands that run load. */
export interface RunCommandOptions extends ShardFlags, ScenarioFlags, MetricsFlags {
  out?: string
  seed?: string
  strict?: boolean
  target?: string[]
  quiet?: boolean
  schedule?: string
  slice?: string
  updateBaseline?: boolean
  untilSettled?: boolean
  max?: string
  workers?: string
  /** `--json`: result.json's object on stdout instead of the summary table. */
  json?: boolean
}

/** Default longest run with --until-settled. */
const defaultSettleMaxMs = 10 * 60_000

/** --until-settled (or the scenario's `settle:` block) with --max; undefined when neither asks for it. */
export function settleOptions (scenario: LoadedScenario, options: Pick<RunCommandOptions, 'untilSettled' | 'max'>): SettleOptions | undefined {
  const block = scenario.config.settle
  if (options.max !== undefined && options.untilSettled !== true && block === undefined) throw new CutoverError('USAGE', '--max goes with --until-settled')
  if (options.untilSettled !== true && block === undefined) return undefined
  let maxMs = block?.max ?? defaultSettleMaxMs
  if (options.max !== undefined) {
    const parsed = parseDurationMs(options.max)
    if (parsed === undefined || parsed < 10_000) throw new CutoverError('USAGE', `--max expects a duration of at least 10s such as 10m, got "${options.max}"`)
    maxMs = parsed
  }
  return { maxMs, minRounds: block?.minRounds ?? 6, phase: block?.phase }
}

const schedules = ['interleaved', 'concurrent', 'sequential'] as const

function parseSchedule (value: string | undefined): (typeof schedules)[number] | undefined {
  if (value === undefined) return undefined
  if ((schedules as readonly string[]).includes(value)) return value as (typeof schedules)[number]
  throw new CutoverError('USAGE', `--schedule expects one of ${schedules.join(', ')}, got "${value}"`)
}

function parseSlice (value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const ms = parseDurationMs(value)
  if (ms === undefined || ms < 500) throw new CutoverError('USAGE', `--slice expects a duration of at least 500ms such as 5s, got "${value}"`)
  return ms
}

/** The --seed flag as a number. */
export function parseSeed (seed: string | undefined): number | undefined {
  if (seed === undefined) return undefined
  const value = Number(seed)
  if (!Number.isInteger(value) || value < 0) throw new CutoverError('USAGE', `--seed expects a whole number, got "${seed}"`)
  return value
}

/**
 * Writes the report files of a finished (or interrupted) run and prints the summary and where everything is (with
 * `json`, only the result as JSON on stdout; where things are goes to stderr); true when an output could not be written.
 */
export async function finishRunOutput (outcome: RunOutcome, json = false): Promise<boolean> {
  if (json) {
    const failed = await writeReportFiles(outcome.contents, process.stderr)
    process.stdout.write(`${JSON.stringify(outcome.contents.result, null, 2)}\n`)
    process.stderr.write(`run directory: ${outcome.runDir}\n`)
    return failed
  }
  process.stdout.write(`${summaryTable(outcome.result)}\n`)
  const failed = await writeReportFiles(outcome.contents)
  process.stdout.write(`run directory: ${outcome.runDir}\n`)
  return failed
}

/** Writes report.html, charts, summary.md and junit.xml; each that fails is reported, the measurements stay safe. True when one failed. */
export async function writeReportFiles (contents: RunDirContents, say: NodeJS.WritableStream = process.stdout): Promise<boolean> {
  const { files, failures } = await renderReports(contents)
  printReportFailures(failures, contents.runDir)
  const html = join(contents.runDir, 'report.html')
  if (files.includes(html)) say.write(`report: ${html}\n`)
  return failures.length > 0
}

/** Refuses --target names the scenario does not have. */
export function checkTargets (scenario: LoadedScenario, names: string[] | undefined): void {
  for (const name of names ?? []) {
    if (scenario.config.targets[name] === undefined) {
      throw new CutoverError('USAGE', `--target ${name}: the scenario has no such target (it has ${Object.keys(scenario.config.targets).join(', ')})`)
    }
  }
}

/** Loads and runs a scenario file, prints the summary, and returns the exit code. */
export async function runCommand (file: string, options: RunCommandOptions, processEnv: Record<string, string | undefined> = process.env, onFinished?: (outcome: RunOutcome) => void): Promise<number> {
  const metrics = metricsSettings(options)
  const { scenario, env } = await openWithFlags(file, options, processEnv)
  checkTargets(scenario, options.target)
  const shard = shardOptions(options, env)
  if (shard !== undefined && options.updateBaseline === true) throw new CutoverError('USAGE', '--update-baseline does not go with --shard: a shard is a part of the run', { hint: 'merge the shards, then cutover baseline save <merged run directory>' })
  const workers = workerCount(options.workers, scenario, options.target ?? Object.keys(scenario.config.targets))
  const progress = progressFor(options.quiet === true, env, process.stderr)
  let settle = settleOptions(scenario, options)
  if (shard !== undefined && settle !== undefined && options.untilSettled !== true) {
    // the scenario's settle: block is for single runs; a shard keeps to the planned rounds
    progress.message('settle: is left out in a shard: every shard runs the planned rounds')
    settle = undefined
  }
  const endpoint = metrics === undefined ? undefined : await openMetricsEndpoint(metrics, progress)
  try {
    return await withInterrupts(async (signal) => {
      const outcome = await runScenario(scenario, {
        out: options.out,
        seed: parseSeed(options.seed),
        only: options.target,
        schedule: parseSchedule(options.schedule),
        sliceMs: parseSlice(options.slice),
        settle,
        progress,
        signal,
        env,
        command: 'run',
        shard,
        workers,
        liveMetrics: endpoint?.live
      })
      if (shard === undefined) recordHistory(scenario, outcome)
      const reportsFailed = await finishRunOutput(outcome, options.json === true)
      let code = exitCodeForResult(outcome.result, options.strict === true, signal.aborted)
      if (shard !== undefined && shard.share.count > 1 && code === exitCodes.checkFailed) {
        // a shard's checks see a part of the load (a throughput minimum fails on every part): the merged run is judged
        process.stderr.write(`shard ${describeShare(shard.share)}: its checks judge a part of the load; cutover merge judges the whole run\n`)
        code = exitCodes.pass
      }
      if (options.updateBaseline === true) replaceBaseline(scenario, outcome.result, outcome.runDir, code)
      onFinished?.(outcome)
      if (endpoint !== undefined) await lingerForLastScrape(endpoint, signal, progress)
      return afterReports(code, reportsFailed)
    })
  } finally {
    await endpoint?.server.close()
  }
}

/** `checks.baseline.history`: writes history.html and history.md into the run directory and notes them in result.json; a history that cannot be written is said, and the run stands. */
export function recordHistory (scenario: LoadedScenario, outcome: RunOutcome): void {
  const config = scenario.config.checks?.baseline
  if (config?.history === undefined) return
  try {
    const history = writeRunHistory(outcome.runDir, outcome.result.scenario.name, config.history, resolveBaselineFile(config, scenario.dir))
    const result = writeResultFile(outcome.runDir, { ...outcome.contents.result, history })
    outcome.result = result
    outcome.contents = { ...outcome.contents, result }
  } catch (error) {
    if (!isCutoverError(error)) throw error
    process.stderr.write(`history not written: ${error.message}\n`)
  }
}

/** `--update-baseline`: stores this run as the scenario's baseline, only after a run that did not fail. */
function replaceBaseline (scenario: LoadedScenario, result: RunResult, runDir: string, code: number): void {
  if (code !== 0 || result.status !== 'completed') {
    process.stdout.write('baseline not updated: the run did not pass\n')
    return
  }
  const configured = scenario.config.checks?.baseline
  const file = configured === undefined ? baselinePath(scenario.config.name) : resolveBaselineFile(configured, scenario.dir)
  const saved = updateBaseline(runDir, file)
  process.stdout.write(`baseline updated: ${saved.path}\n`)
}

/** Registers `cutover run`. */
export function registerRun (program: Command, setExit: (code: number) => void): void {
  withScenarioFlags(program.command('run')
    .description('drive a scenario at its targets and write a run directory')
    .argument('<scenario>', 'scenario file (.yaml, .yml, .json, or code: .ts, .js, .mjs)'))
    .option('-o, --out <dir>', 'run directory (default reports/<scenario>-<UTC timestamp>)')
    .option('--seed <n>', 'seed for the request mix and templates, to repeat a run')
    .option('--target <name...>', 'run only these targets')
    .option('--schedule <mode>', 'how targets share the plan: interleaved (default on this host), concurrent, sequential')
    .option('--slice <duration>', 'slice length of the interleaved schedule (default 2.5s)')
    .option('--until-settled', 'add rounds of the steady phase until every old-vs-new comparison is pass or fail (always-valid intervals)')
    .option('--max <duration>', 'with --until-settled: the longest the whole run may take (default 10m)')
    .option('--json', 'print result.json\'s object on stdout instead of the summary table (progress and paths on stderr)')
    .option('--workers <n|auto>', 'send the load from n worker threads (auto: the cores not taken by services cutover starts); default 1, or workers: in the scenario')
    .option('--shard <I/N|auto>', 'run shard I of N of the plan (auto: from CUTOVER_SHARD, GitLab CI_NODE_INDEX/TOTAL or a Kubernetes JOB_COMPLETION_INDEX); combine them with cutover merge')
    .option('--start-at <time>', 'with --shard: ISO 8601 time at which every shard starts its load (or CUTOVER_START_AT)')
    .option('--sampling-shard <I>', 'with --shard: the shard that samples the targets\' CPU and memory (default 1)')
    .option('--update-baseline', 'after a passing run, store it as the baseline (checks.baseline.file, or baselines/<scenario>.json)')
    .option('--metrics <host:port>', 'serve live Prometheus metrics at http://host:port/metrics during the run (a port alone: on 127.0.0.1)')
    .option('--metrics-linger <duration>', 'with --metrics: after the run, keep serving until a scrape has read the final values, at most this long (default 0: close once the reports are written)')
    .option('--strict', 'treat an inconclusive verdict as a failure (exit 1)')
    .option('-q, --quiet', 'no progress output')
    .action(async (file: string, options: RunCommandOptions) => { setExit(await runCommand(file, options)) })
}
