import { renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { sloChecks } from '../analysis/slo.js'
import { verdictOf } from '../analysis/verdict.js'
import { describeEnvironment } from '../core/environment.js'
import { resultSchemaVersion, type RunResult, type RunStatus, type TargetFailure, type TargetSummary } from '../core/result-types.js'
import { toolVersion } from '../core/version.js'
import { seededRandom } from '../load/random.js'
import { planPhases, type PlannedPhase } from '../plan/phases.js'
import { defaultSliceMs, planSchedule, segmentMs, type ScheduleMode, type ScheduleStep } from '../plan/schedule.js'
import { TimelineWriter } from '../report/timeline.js'
import type { LoadedScenario } from '../scenario/load.js'
import { createRunDir } from './run-dir.js'
import type { ProgressSink } from './progress.js'
import { TargetSession } from './target-session.js'

/** Options of `cutover run`. */
export interface RunOptions {
  out?: string | undefined
  seed?: number | undefined
  /** Run only these targets. */
  only?: string[] | undefined
  /** How targets share the plan; default: interleaved when every target is on this host, else concurrent. */
  schedule?: ScheduleMode | undefined
  sliceMs?: number | undefined
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

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]', '::1'])

/** Interleaved when every target runs on this machine (their drift is shared), concurrent when they are elsewhere. */
export function defaultSchedule (scenario: LoadedScenario, names: string[]): ScheduleMode {
  const local = names.every((name) => scenario.config.targets[name]?.start !== undefined || loopbackHosts.has(scenario.targets[name]?.url.hostname ?? ''))
  return local ? 'interleaved' : 'concurrent'
}

function describePhase (phase: PlannedPhase): string {
  if (phase.kind === 'closed') return `${phase.connections} connections`
  return phase.fromRate === phase.toRate ? `${phase.fromRate} req/s` : `${Math.round(phase.fromRate)}→${Math.round(phase.toRate)} req/s`
}

function stepDurationMs (step: ScheduleStep): number {
  return Math.max(...step.segments.map(segmentMs), 0)
}

/** Starts the targets, drives the schedule at them, samples every interval into the timeline, and writes result.json. */
export async function runScenario (scenario: LoadedScenario, options: RunOptions): Promise<RunOutcome> {
  const config = scenario.config
  const startedAt = new Date()
  const runDir = createRunDir(config.name, options.out, startedAt)
  const intervalMs = config.sampling?.interval ?? 1000
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31)
  const random = seededRandom(seed)
  const phases = planPhases(config.phases)
  const names = Object.keys(config.targets).filter((name) => options.only === undefined || options.only.includes(name))
  const schedule = names.length <= 1 ? 'sequential' : options.schedule ?? defaultSchedule(scenario, names)
  const sliceMs = options.sliceMs ?? defaultSliceMs
  const steps = planSchedule(phases, names, schedule, sliceMs)
  const totalMs = steps.reduce((sum, step) => sum + stepDurationMs(step), 0)
  const timeline = new TimelineWriter(join(runDir, 'timeline.ndjson'))
  const runStartMs = performance.now()
  const sessions = names.map((name) => new TargetSession({
    name, scenario, phases, runDir, progress: options.progress, random, env: options.env, signal: options.signal, runStartMs, intervalMs
  }))
  let flushing: Promise<void> | undefined
  // one line per target per interval: load figures and a resource sample taken at the same moment
  const flushAll = async (): Promise<void> => {
    const now = performance.now()
    const intervals = sessions.map((session) => session.rotate(now))
    const samples = await Promise.all(sessions.map((session, i) => intervals[i] === undefined ? undefined : session.sampleResources(now)))
    sessions.forEach((session, i) => {
      const interval = intervals[i]
      if (interval !== undefined) session.record(timeline, interval, samples[i], now - runStartMs, totalMs)
    })
  }
  const tick = (): void => {
    // a slow sample skips a tick rather than piling up; the next interval is just longer
    if (flushing !== undefined) return
    flushing = flushAll().finally(() => { flushing = undefined })
  }
  let ticker: NodeJS.Timeout | undefined
  try {
    // all services start before any load, so an interleaved run can alternate between them
    for (const session of sessions) {
      if (options.signal.aborted) break
      await session.start()
    }
    options.progress.targetStarted(names.filter((name) => sessions.find((s) => s.name === name)?.usable).join(' and ') || 'nothing', totalMs)
    ticker = setInterval(tick, intervalMs)
    for (const step of steps) {
      if (options.signal.aborted) break
      const runnable = step.segments.filter((segment) => sessions.find((s) => s.name === segment.target)?.usable === true)
      await Promise.all(runnable.map((segment) => sessions.find((s) => s.name === segment.target)?.runSegment(segment, describePhase(segment.phase))))
    }
    await Promise.all(sessions.map((session) => session.drain()))
  } finally {
    if (ticker !== undefined) clearInterval(ticker)
    await flushing
    await flushAll()
    await Promise.all(sessions.map((session) => session.stop()))
    timeline.close()
    options.progress.finished()
  }
  const targets: Record<string, TargetSummary> = {}
  const failures: TargetFailure[] = []
  for (const session of sessions) {
    const summary = session.summary()
    if (summary !== undefined) targets[session.name] = summary
    const failure = session.failure
    if (failure !== undefined) failures.push({ target: session.name, code: failure.code, message: failure.message, ...(failure.hint === undefined ? {} : { hint: failure.hint }) })
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
    schedule,
    checks,
    targets,
    failures,
    settings: { intervalMs, seed, ...(schedule === 'interleaved' ? { sliceMs } : {}) },
    environment: describeEnvironment(options.env)
  }
  writeJsonAtomic(join(runDir, 'result.json'), result)
  return { result, runDir }
}
