import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { redactScenarioText } from '../report/redact.js'
import { performance } from 'node:perf_hooks'
import { comparedPair } from '../analysis/compare-runs.js'
import { leakAnalysis } from '../analysis/leak-for-run.js'
import { sloChecks } from '../analysis/slo.js'
import { verdictOf } from '../analysis/verdict.js'
import { describeEnvironment } from '../core/environment.js'
import { resultSchemaVersion, type CheckResult, type RunResult, type RunStatus, type TargetFailure, type TargetSummary } from '../core/result-types.js'
import { toolVersion } from '../core/version.js'
import { seededRandom } from '../load/random.js'
import type { PlannedPhase } from '../plan/phases.js'
import type { ScheduleMode } from '../plan/schedule.js'
import { TimelineWriter } from '../report/timeline.js'
import type { LoadedScenario } from '../scenario/load.js'
import { createRunDir } from './run-dir.js'
import type { RunPlanFile } from './run-plan-file.js'
import type { ProgressSink } from './progress.js'
import { TargetSession } from './target-session.js'
import { writeJsonAtomic } from './write-json.js'

/** Keeps the scenario with the run, secrets redacted, for the report and for reading the run later. */
function writeScenarioCopy (from: string, to: string): void {
  try {
    writeFileSync(to, redactScenarioText(readFileSync(from, 'utf8')))
  } catch {
    // the scenario was parsed from text in memory (tests): nothing to copy
  }
}

/** What every command that drives load shares. */
export interface RunContextOptions {
  out?: string | undefined
  seed?: number | undefined
  only?: string[] | undefined
  progress: ProgressSink
  signal: AbortSignal
  env: Record<string, string | undefined>
  command: string
}

/** Commands that judge unanswered requests themselves: capacity (overload is the finding) and smoke (reports each step). */
const noAnswerWatch = new Set(['capacity', 'smoke'])

/**
 * One run: its directory, run.json, timeline, the target sessions and the sampling ticker.
 * `cutover run` and `cutover capacity` differ only in what load they drive in between.
 */
export class RunContext {
  readonly sessions: TargetSession[]
  readonly runDir: string
  readonly intervalMs: number
  readonly plan: RunPlanFile
  private readonly timeline: TimelineWriter
  private readonly runStartMs = performance.now()
  private ticker: NodeJS.Timeout | undefined
  private flushing: Promise<void> | undefined
  /** Planned length of the load, for progress; commands may update it. */
  totalMs = 0

  constructor (readonly scenario: LoadedScenario, readonly options: RunContextOptions, phases: PlannedPhase[], schedule: ScheduleMode, extraSettings: Partial<RunResult['settings']> = {}) {
    const config = scenario.config
    const startedAt = new Date()
    this.runDir = createRunDir(config.name, options.out, startedAt)
    this.intervalMs = config.sampling?.interval ?? 1000
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31)
    const names = Object.keys(config.targets).filter((name) => options.only === undefined || options.only.includes(name))
    this.plan = {
      schemaVersion: resultSchemaVersion,
      tool: { name: 'cutover', version: toolVersion },
      scenario: { name: config.name, ...(config.description === undefined ? {} : { description: config.description }), file: scenario.file },
      command: options.command,
      startedAt: startedAt.toISOString(),
      schedule,
      settings: { intervalMs: this.intervalMs, seed, ...extraSettings },
      phases,
      targets: Object.fromEntries(names.map((name) => [name, { url: scenario.targets[name]?.url.href ?? '' }])),
      slo: config.checks?.slo ?? {},
      environment: describeEnvironment(options.env)
    }
    writeJsonAtomic(join(this.runDir, 'run.json'), this.plan)
    writeScenarioCopy(scenario.file, join(this.runDir, 'scenario.yaml'))
    this.timeline = new TimelineWriter(join(this.runDir, 'timeline.ndjson'))
    const random = seededRandom(seed)
    this.sessions = names.map((name) => new TargetSession({
      name, scenario, phases, runDir: this.runDir, progress: options.progress, random, env: options.env, signal: options.signal, runStartMs: this.runStartMs, intervalMs: this.intervalMs,
      watchAnswers: !noAnswerWatch.has(options.command)
    }))
  }

  /** The session of `name`. */
  session (name: string): TargetSession | undefined {
    return this.sessions.find((session) => session.name === name)
  }

  /** Starts every target (all before any load, so schedules can alternate between them) and the sampling ticker. */
  async start (): Promise<void> {
    for (const session of this.sessions) {
      if (this.options.signal.aborted) break
      await session.start()
    }
    this.options.progress.targetStarted(this.sessions.filter((s) => s.usable).map((s) => s.name).join(' and ') || 'nothing', this.totalMs)
    this.ticker = setInterval(() => { this.tick() }, this.intervalMs)
  }

  private tick (): void {
    // a slow sample skips a tick rather than piling up; the next interval is just longer
    if (this.flushing !== undefined) return
    this.flushing = this.flushAll().finally(() => { this.flushing = undefined })
  }

  /** Closes the interval now for every target: one timeline line each, load figures and a resource sample taken together. */
  async flushAll (): Promise<void> {
    const now = performance.now()
    const intervals = this.sessions.map((session) => session.rotate(now))
    const samples = await Promise.all(this.sessions.map((session, i) => intervals[i] === undefined ? undefined : session.sampleResources(now)))
    this.sessions.forEach((session, i) => {
      const interval = intervals[i]
      if (interval !== undefined) session.record(this.timeline, interval, samples[i], now - this.runStartMs, this.totalMs)
    })
  }

  /** Closes the interval now, after any tick in progress (phase boundaries of a capacity step). */
  async flushNow (): Promise<void> {
    await this.flushing
    await this.flushAll()
  }

  /** Drains outstanding requests, takes the last sample, stops the services and closes the timeline. */
  async finish (): Promise<void> {
    try {
      await Promise.all(this.sessions.map((session) => session.drain()))
    } finally {
      if (this.ticker !== undefined) clearInterval(this.ticker)
      await this.flushing
      await this.flushAll()
      for (const session of this.sessions) session.concludeAnswers()
      await Promise.all(this.sessions.map((session) => session.stop()))
      this.timeline.close()
      this.options.progress.finished()
    }
  }

  /** Assembles result.json (SLO checks unless `slo` is false, plus `extraChecks`), writes it, and returns it. */
  writeResult (extraChecks: CheckResult[] = [], extend: (result: RunResult) => void = () => {}, slo = true): RunResult {
    const targets: Record<string, TargetSummary> = {}
    const failures: TargetFailure[] = []
    for (const session of this.sessions) {
      const summary = session.summary()
      if (summary !== undefined) targets[session.name] = summary
      const failure = session.failure
      if (failure !== undefined) failures.push({ target: session.name, code: failure.code, message: failure.message, ...(failure.hint === undefined ? {} : { hint: failure.hint }) })
    }
    const checks = [...(slo ? Object.entries(targets).flatMap(([name, summary]) => sloChecks(name, summary, this.plan.slo)) : []), ...extraChecks]
    const status: RunStatus = this.options.signal.aborted ? 'interrupted' : failures.length > 0 ? 'failed' : 'completed'
    const result: RunResult = {
      schemaVersion: this.plan.schemaVersion,
      tool: this.plan.tool,
      scenario: this.plan.scenario,
      command: this.plan.command,
      startedAt: this.plan.startedAt,
      endedAt: new Date().toISOString(),
      status,
      verdict: verdictOf(checks),
      schedule: this.plan.schedule,
      checks,
      targets,
      failures,
      settings: this.plan.settings,
      environment: this.plan.environment
    }
    const memory = this.sessions.map((session) => ({
      target: session.name,
      samples: session.resources.map((entry) => ({ tSec: entry.t, rssBytes: entry.sample.rssBytes, heapBytes: entry.sample.heapBytes, phase: entry.phase, load: entry.load })),
      memoryLimitBytes: session.resources.find((entry) => entry.sample.memoryLimitBytes !== undefined)?.sample.memoryLimitBytes
    }))
    const leak = leakAnalysis(memory.filter((m) => targets[m.target] !== undefined), this.scenario.config.checks?.leak === undefined ? undefined : this.scenario.config.checks.leak === 'auto' ? 'auto' : this.scenario.config.checks.leak.maxGrowth, comparedPair(Object.keys(targets)))
    for (const [name, summary] of Object.entries(leak.leaks)) {
      const target = targets[name]
      if (target !== undefined) target.leak = summary
    }
    result.checks.push(...leak.checks)
    extend(result)
    if (leak.growth !== undefined && result.comparison !== undefined) result.comparison.metrics.push(leak.growth)
    result.verdict = verdictOf(result.checks)
    writeJsonAtomic(join(this.runDir, 'result.json'), result)
    return result
  }
}
