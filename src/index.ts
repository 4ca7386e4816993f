/**
 * cutover's public, typed API: what the CLI does, as functions that return what result.json holds. The CLI is a thin
 * layer over the same modules.
 *
 * ```ts
 * import { defineScenario, run } from 'cutover'
 * const result = await run(defineScenario({
 *   name: 'checkout',
 *   targets: { old: { url: 'http://127.0.0.1:3001' }, new: { url: 'http://127.0.0.1:3002' } },
 *   requests: [{ name: 'home', path: '/' }],
 *   phases: [{ name: 'steady', duration: '30s', rate: 200 }]
 * }), { out: 'reports/checkout' })
 * if (result.verdict === 'fail') process.exitCode = 1
 * ```
 */
import { join, resolve } from 'node:path'
import { compareWithBaseline, type BaselineComparison, type BaselineTolerances } from './analysis/baseline/compare-baseline.js'
import { baselineKind, baselineSchemaVersion, type BaselineFile } from './analysis/baseline/baseline-format.js'
import { verdictOf } from './analysis/verdict.js'
import { readRunSnapshot } from './baseline/read-run.js'
import type { CheckResult, RunResult, Verdict } from './core/result-types.js'
import { toolVersion } from './core/version.js'
import { renderReports } from './report/write-reports.js'
import { mergeShardRuns } from './run/merge-run.js'
import { silentProgress } from './run/progress.js'
import { runScenario } from './run/run-scenario.js'
import { workerCount } from './run/worker-count.js'
import type { LoadedScenario } from './scenario/load.js'
import { openScenario, openScenarioObject } from './scenario/open-scenario.js'
import { parseSetFlag, parseUrlFlag } from './scenario/overrides.js'
import type { ScenarioInput } from './scenario/schema/scenario.js'
import type { ScenarioHooks } from './scenario/hook-types.js'

export type { RunResult, TargetSummary, PhaseSummary, CheckResult, ComparisonMetric, ComparisonSummary, Verdict, RunStatus, LatencySummaryMs, RequestCounts, ShardSetting, MergedShard } from './core/result-types.js'
export type { ScenarioInput, ScenarioConfig } from './scenario/schema/scenario.js'
export type { LoadedScenario } from './scenario/load.js'
export type { HookRequest, HookResponse, HookContext, BeforeRequestHook, AfterResponseHook, SetupHook, TeardownHook, SetupContext, ScenarioHooks } from './scenario/hook-types.js'
export type { BaselineComparison, BaselineTolerances } from './analysis/baseline/compare-baseline.js'
export { CutoverError, type CutoverErrorCode } from './core/errors.js'
export { toolVersion as version }

/**
 * A scenario written in code: the same shape as a YAML scenario, typed (durations as `'30s'` or milliseconds).
 * `hooks` may name a module (`'./hooks.mjs'`) or give the functions themselves: `hooks: { beforeRequest, setup }`.
 */
export type CodeScenario = Omit<ScenarioInput, 'hooks'> & { hooks?: string | ScenarioHooks }

/** Types a scenario written in code (the default export of a `.ts`, `.js` or `.mjs` scenario file). */
export function defineScenario (scenario: CodeScenario): CodeScenario {
  return scenario
}

/** What loading a scenario needs besides the file. */
export interface LoadScenarioOptions {
  /** The environment `env()` reads (default: process.env). */
  env?: Record<string, string | undefined>
  /** As `--set`: `['phases.steady.rate=500']`. */
  set?: string[]
  /** As `--url`: `['new=http://127.0.0.1:8080']`. */
  url?: string[]
}

function loadOptions (options: LoadScenarioOptions): { env: Record<string, string | undefined>, overrides: ReturnType<typeof parseSetFlag>[] } {
  return { env: options.env ?? process.env, overrides: [...(options.set ?? []).map(parseSetFlag), ...(options.url ?? []).map(parseUrlFlag)] }
}

/**
 * Loads and validates a scenario file (YAML, JSON, or code: `.ts`, `.js`, `.mjs`) and binds its hooks; throws a
 * CutoverError naming file, line, column and field.
 */
export async function loadScenario (file: string, options: LoadScenarioOptions = {}): Promise<LoadedScenario> {
  return await openScenario(file, loadOptions(options))
}

/** Options of {@link run}, as the flags of `cutover run`. */
export interface RunApiOptions extends LoadScenarioOptions {
  /** The run directory (default `reports/<scenario>-<UTC timestamp>`). */
  out?: string
  seed?: number
  /** Run only these targets. */
  targets?: string[]
  /** Worker threads that send the load (default 1, or the scenario's `workers:`). */
  workers?: number
  schedule?: 'interleaved' | 'concurrent' | 'sequential'
  /** Slice length of the interleaved schedule, in ms. */
  sliceMs?: number
  /** Stops the run early, as Ctrl-C does: the result says `interrupted`. */
  signal?: AbortSignal
  /** Write report.html, charts, summary.md and junit.xml as well (default true). */
  reports?: boolean
  /** For a scenario given as an object: the folder its relative paths (data files, start.cwd) are read from (default: the current folder). */
  baseDir?: string
}

async function scenarioOf (scenario: string | CodeScenario | LoadedScenario, options: RunApiOptions): Promise<LoadedScenario> {
  if (typeof scenario === 'string') return await openScenario(scenario, loadOptions(options))
  if ('config' in scenario && 'file' in scenario) return scenario as LoadedScenario
  // an object in code: validated exactly as a file would be, named as `<name>.scenario.json` in its folder
  const input = scenario as Record<string, unknown>
  return await openScenarioObject(input, join(resolve(options.baseDir ?? '.'), `${String(input.name)}.scenario.json`), loadOptions(options))
}

/**
 * Runs a scenario (a file, a loaded scenario, or an object from {@link defineScenario}) as `cutover run` does: starts
 * and samples the targets, drives the load, judges, writes the run directory; returns result.json's contents.
 */
export async function run (scenario: string | CodeScenario | LoadedScenario, options: RunApiOptions = {}): Promise<RunResult> {
  const loaded = await scenarioOf(scenario, options)
  const outcome = await runScenario(loaded, {
    out: options.out,
    seed: options.seed,
    only: options.targets,
    schedule: options.schedule,
    sliceMs: options.sliceMs,
    workers: options.workers ?? workerCount(undefined, loaded, options.targets ?? Object.keys(loaded.config.targets)),
    progress: silentProgress,
    signal: options.signal ?? new AbortController().signal,
    env: options.env ?? process.env,
    command: 'run'
  })
  if (options.reports !== false) await renderReports(outcome.contents)
  return outcome.result
}

/** What {@link compareRuns} found: the comparison as result.json's `baseline` holds it, its checks and their verdict. */
export interface RunComparison {
  comparison: BaselineComparison
  checks: CheckResult[]
  verdict: Verdict
}

/**
 * Compares the run in `runDir` with the run in `referenceRunDir` as `checks.baseline` compares a run with a stored
 * baseline (pooled latency windows, throughput, errors, CPU per request, memory, capacity), per target of the same name.
 */
export function compareRuns (referenceRunDir: string, runDir: string, tolerances: BaselineTolerances = {}): RunComparison {
  const reference = readRunSnapshot(referenceRunDir)
  const current = readRunSnapshot(runDir)
  const baseline: BaselineFile = { schemaVersion: baselineSchemaVersion, kind: baselineKind, savedAt: reference.files.result.endedAt, tool: { name: 'cutover', version: toolVersion }, ...reference.snapshot }
  const { baseline: comparison, checks } = compareWithBaseline(baseline, current.snapshot, tolerances, { file: referenceRunDir, seed: current.files.result.settings.seed })
  return { comparison, checks, verdict: verdictOf(checks) }
}

/** Merges the run directories of `cutover run --shard` into `out`, as `cutover merge` does; returns the merged result. */
export async function mergeShards (runDirs: string[], out: string, options: { allowMissing?: boolean, reports?: boolean } = {}): Promise<RunResult> {
  const outcome = mergeShardRuns({ runDirs, out, allowMissing: options.allowMissing === true })
  if (options.reports !== false) await renderReports(outcome.contents)
  return outcome.result
}
