import { writeFileSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import { sloChecks } from '../analysis/slo.js'
import { verdictOf } from '../analysis/verdict.js'
import { describeEnvironment } from '../core/environment.js'
import { CutoverError } from '../core/errors.js'
import { resultSchemaVersion, type RunResult, type RunStatus, type TargetFailure, type TargetSummary } from '../core/result-types.js'
import { toolVersion } from '../core/version.js'
import { seededRandom } from '../load/random.js'
import { planPhases } from '../plan/phases.js'
import { TimelineWriter } from '../report/timeline.js'
import type { LoadedScenario } from '../scenario/load.js'
import { createRunDir } from './run-dir.js'
import type { ProgressSink } from './progress.js'
import { runTarget } from './run-target.js'

/** Options of `cutover run`. */
export interface RunOptions {
  out?: string | undefined
  seed?: number | undefined
  /** Run only these targets. */
  only?: string[] | undefined
  progress: ProgressSink
  signal: AbortSignal
  env: Record<string, string | undefined>
  command?: string
}

/** What a run produced. */
export interface RunOutcome {
  result: RunResult
  runDir: string
}

/** Writes JSON atomically: a temporary file, then a rename. */
export function writeJsonAtomic (path: string, value: unknown): void {
  const temporary = `${path}.tmp-${process.pid}`
  writeFileSync(temporary, JSON.stringify(value, null, 2) + '\n')
  renameSync(temporary, path)
}

/** Runs every target of the scenario, one after the other, and writes result.json and timeline.ndjson. */
export async function runScenario (scenario: LoadedScenario, options: RunOptions): Promise<RunOutcome> {
  const config = scenario.config
  const startedAt = new Date()
  const runDir = createRunDir(config.name, options.out, startedAt)
  const intervalMs = config.sampling?.interval ?? 1000
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31)
  const random = seededRandom(seed)
  const phases = planPhases(config.phases)
  const timeline = new TimelineWriter(join(runDir, 'timeline.ndjson'))
  const names = Object.keys(config.targets).filter((name) => options.only === undefined || options.only.includes(name))
  const targets: Record<string, TargetSummary> = {}
  const failures: TargetFailure[] = []
  try {
    for (const name of names) {
      if (options.signal.aborted) break
      try {
        const outcome = await runTarget({ name, scenario, phases, runDir, intervalMs, timeline, progress: options.progress, random, env: options.env, signal: options.signal })
        if (outcome.summary !== undefined) targets[name] = outcome.summary
        if (outcome.failure !== undefined) failures.push(failureOf(name, outcome.failure))
      } catch (error) {
        if (!(error instanceof CutoverError)) throw error
        failures.push(failureOf(name, error))
        options.progress.message(`${error.message}${error.hint === undefined ? '' : ` (${error.hint})`}`)
      }
    }
  } finally {
    timeline.close()
    options.progress.finished()
  }
  const checks = Object.entries(targets).flatMap(([name, summary]) => sloChecks(name, summary, config.checks?.slo ?? {}))
  const status: RunStatus = options.signal.aborted ? 'interrupted' : failures.length > 0 ? 'failed' : 'completed'
  const result: RunResult = {
    schemaVersion: resultSchemaVersion,
    tool: { name: 'cutover', version: toolVersion },
    scenario: { name: config.name, ...(config.description === undefined ? {} : { description: config.description }), file: scenario.file },
    command: options.command ?? 'run',
    startedAt: startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    status,
    verdict: verdictOf(checks),
    schedule: 'sequential',
    checks,
    targets,
    failures,
    settings: { intervalMs, seed },
    environment: describeEnvironment(options.env)
  }
  writeJsonAtomic(join(runDir, 'result.json'), result)
  return { result, runDir }
}

function failureOf (target: string, error: CutoverError): TargetFailure {
  return { target, code: error.code, message: error.message, ...(error.hint === undefined ? {} : { hint: error.hint }) }
}
