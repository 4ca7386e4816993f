import { existsSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Command } from 'commander'
import { verdictOf } from '../../analysis/verdict.js'
import { baselineTolerances, resolveBaselineFile } from '../../baseline/baseline-for-check.js'
import { baselineListText, comparisonText, describeBaseline } from '../../baseline/baseline-text.js'
import { compareWithBaseline, type BaselineTolerances } from '../../analysis/baseline/compare-baseline.js'
import { listBaselines } from '../../baseline/list-baselines.js'
import { loadBaseline } from '../../baseline/load-baseline.js'
import { readRunSnapshot } from '../../baseline/read-run.js'
import { baselinePath, defaultBaselineDir, saveBaseline } from '../../baseline/save-baseline.js'
import { isCutoverError } from '../../core/errors.js'
import { formatBytes } from '../../core/units.js'
import { openScenario } from '../../scenario/open-scenario.js'
import { exitCodes } from '../exit-codes.js'
import { shownPath } from '../../core/shown-path.js'

/** Flags of `cutover baseline save`. */
export interface BaselineSaveOptions { name?: string, dir?: string, force?: boolean }

/** Flags of `cutover baseline compare`. */
export interface BaselineCompareOptions { baseline?: string, dir?: string, scenario?: string, strict?: boolean }

/** `cutover baseline save`: stores a run directory as a baseline and says where. */
export function baselineSaveCommand (runDir: string, options: BaselineSaveOptions): number {
  const saved = saveBaseline(runDir, { name: options.name, dir: options.dir ?? defaultBaselineDir, force: options.force === true })
  const b = saved.baseline
  const series = Object.entries(b.targets).map(([name, target]) => `${name} ${target.series.latencyWindows.length} latency windows`).join(', ')
  process.stdout.write(`saved baseline ${shownPath(saved.path)} (${formatBytes(saved.bytes)}) from run ${b.source.runDir} of scenario ${b.scenario.name}: ${series}\n`)
  if (b.source.verdict !== 'pass' || b.source.status !== 'completed') {
    process.stdout.write(`note: the run's verdict was ${b.source.verdict} (status ${b.source.status}); later runs are judged against it as it is\n`)
  }
  return exitCodes.pass
}

/** `cutover baseline show`: lists the stored baselines, or summarises one named by name or path. */
export function baselineShowCommand (nameOrFile: string | undefined, options: { dir?: string }): number {
  const dir = options.dir ?? defaultBaselineDir
  if (nameOrFile === undefined) {
    const entries = listBaselines(dir)
    if (entries.length === 0) {
      process.stdout.write(`no baselines in ${dir}/: save one with \`cutover baseline save <run-dir>\`\n`)
      return exitCodes.pass
    }
    process.stdout.write(`${baselineListText(entries.map((entry) => ({ ...entry, file: shownPath(entry.file) })))}\n`)
    return exitCodes.pass
  }
  const path = existsSync(nameOrFile) || /[\\/]|\.json$/i.test(nameOrFile) ? nameOrFile : baselinePath(nameOrFile, dir)
  process.stdout.write(`${describeBaseline(loadBaseline(path), shownPath(path))}\n`)
  return exitCodes.pass
}

/** The tolerances and baseline file of a scenario's `checks.baseline`; defaults when the scenario cannot be read, unless it was named explicitly. */
async function scenarioBaselineConfig (file: string, explicit: boolean, env: Record<string, string | undefined>): Promise<{ tolerances: BaselineTolerances, file?: string, from: string }> {
  if (!explicit && !existsSync(file)) return { tolerances: {}, from: 'default tolerances (pass --scenario to use a scenario\'s checks.baseline)' }
  try {
    const config = (await openScenario(file, { env })).config.checks?.baseline
    if (config === undefined) return { tolerances: {}, from: `default tolerances (${shownPath(file)} has no checks.baseline)` }
    return { tolerances: baselineTolerances(config), file: resolveBaselineFile(config, dirname(file)), from: `tolerances of checks.baseline in ${shownPath(file)}` }
  } catch (error) {
    if (explicit || !isCutoverError(error)) throw error
    return { tolerances: {}, from: `default tolerances (${shownPath(file)} could not be read: ${error.message})` }
  }
}

/** `cutover baseline compare`: compares a run directory with its baseline; 1 when a check failed (or was inconclusive, with --strict). */
export async function baselineCompareCommand (runDir: string, options: BaselineCompareOptions, env: Record<string, string | undefined> = process.env): Promise<number> {
  const { files, snapshot } = readRunSnapshot(runDir)
  const scenario = await scenarioBaselineConfig(options.scenario ?? files.result.scenario.file, options.scenario !== undefined, env)
  const path = options.baseline ??
    (options.dir !== undefined ? baselinePath(snapshot.scenario.name, options.dir) : scenario.file ?? baselinePath(snapshot.scenario.name))
  // the comparison a run makes at its end against checks.baseline
  const { baseline, checks } = compareWithBaseline(loadBaseline(path), snapshot, scenario.tolerances, { file: shownPath(path), seed: files.result.settings.seed })
  const verdict = verdictOf(checks)
  process.stdout.write(`${comparisonText(baseline, checks)}\n\n`)
  if (files.result.status !== 'completed') process.stdout.write(`note: this run did not complete (status ${files.result.status}); its figures cover only what was measured\n`)
  process.stdout.write(`${scenario.from}\nverdict against the baseline: ${verdict.toUpperCase()}\n`)
  if (verdict === 'fail') return exitCodes.checkFailed
  if (verdict === 'inconclusive' && options.strict === true) return exitCodes.checkFailed
  return exitCodes.pass
}

/** Registers `cutover baseline save | show | compare`. */
export function registerBaseline (program: Command, setExit: (code: number) => void): void {
  const baseline = program.command('baseline')
    .description('store an accepted run in baselines/ and compare later runs with it')
  baseline.command('save')
    .description('store a run directory as a baseline (default baselines/<scenario>.json)')
    .argument('<run-dir>', 'a run directory written by cutover run')
    .option('--name <name>', 'file name without .json (default the scenario name)')
    .option('--dir <dir>', `folder of the baselines (default ${defaultBaselineDir})`)
    .option('--force', 'save even a run that was interrupted or whose verdict is fail')
    .action((runDir: string, options: BaselineSaveOptions) => { setExit(baselineSaveCommand(runDir, options)) })
  baseline.command('show')
    .description('list the stored baselines, or summarise one')
    .argument('[name-or-file]', 'a baseline name (in --dir) or a file path; without it, list them all')
    .option('--dir <dir>', `folder of the baselines (default ${defaultBaselineDir})`)
    .action((nameOrFile: string | undefined, options: { dir?: string }) => { setExit(baselineShowCommand(nameOrFile, options)) })
  baseline.command('compare')
    .description('compare a run directory with its stored baseline: exit 1 when a baseline check fails')
    .argument('<run-dir>', 'a run directory written by cutover run')
    .option('--baseline <file>', 'the baseline file (default: checks.baseline.file of the run\'s scenario, else baselines/<scenario>.json)')
    .option('--dir <dir>', `folder of the baselines (default ${defaultBaselineDir})`)
    .option('--scenario <file>', 'take tolerances (and the baseline file) from this scenario\'s checks.baseline (default: the run\'s own scenario file, if it is still there)')
    .option('--strict', 'treat an inconclusive verdict as a failure (exit 1)')
    .action(async (runDir: string, options: BaselineCompareOptions) => { setExit(await baselineCompareCommand(runDir, options)) })
}
