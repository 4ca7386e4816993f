import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { RunAnalysisInput } from '../analysis/analyze-run.js'
import { describeEnvironment } from '../core/environment.js'
import { seededRandom } from '../core/random.js'
import { waitFor } from '../core/wait.js'
import { resultSchemaVersion, type MeasuredRun, type RunResult, type RunStatus, type TargetFailure, type TargetSummary } from '../core/result-types.js'
import { toolVersion } from '../core/version.js'
import { describePhase, type PlannedPhase } from '../plan/phases.js'
import type { ScheduleMode, ScheduleStep } from '../plan/schedule.js'
import { describeShare, isWhole, seedFromStartTime, shareSeed, type PlanShare } from '../plan/share.js'
import { createRunDir } from '../rundir/create-run-dir.js'
import { listRunFiles, type RunDirContents } from '../rundir/read-run-dir.js'
import { writeResultFile } from '../rundir/result-file.js'
import { writeRunPlan, type RunPlanFile } from '../rundir/run-plan-file.js'
import { writeScenarioCopy } from '../rundir/scenario-copy.js'
import { TimelineWriter, readReportTimeline, timelineFileName } from '../rundir/timeline-file.js'
import { longRunningCommands } from '../rundir/coarse-timeline.js'
import type { TimelineLine } from '../rundir/timeline-line.js'
import type { LoadedScenario } from '../scenario/load.js'
import type { ProgressSink } from './progress.js'
import { TargetSession } from './target-session.js'
import { keepGeneratorOffServiceCores } from './generator-cores.js'
import type { SummaryDetail } from '../metrics/target-summary.js'
import { LoadWorkers } from '../load/workers/load-workers.js'
import { CutoverError } from '../core/errors.js'
import { thrownMessage } from '../core/thrown-message.js'
import { sourceOf } from '../scenario/open-scenario.js'
import type { HookContext } from '../scenario/hook-types.js'

/** setup()'s result as worker threads get it (a structured clone); a user error when it cannot be cloned. */
function transferable (data: unknown): unknown {
  try {
    return structuredClone(data)
  } catch (error) {
    throw new CutoverError('SCENARIO_CODE', `setup() returned what cannot go to worker threads: ${thrownMessage(error)}`, { hint: 'return plain data (text, numbers, objects, arrays) from setup(), or run with one worker' })
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
  /** `--shard`: this process runs one share of the plan, from a start time every shard shares. */
  shard?: ShardOptions | undefined
  /** `--workers`: load sent from this many worker threads (1: from the main thread). */
  workers?: number | undefined
}

/** One shard of a run split across processes or machines. */
export interface ShardOptions {
  share: PlanShare
  /** When every shard's load starts (the timeline's t = 0). */
  startAt: Date
  /** True on the one shard that samples the targets' CPU and memory. */
  samples: boolean
}

/**
 * Commands whose timeline is not kept in memory: the proxy runs for as long as live traffic flows (days), and two
 * lines a second (2–3 KB each once parsed) kept for good grow with its running time. Their reports read the timeline
 * back from its file, with a bounded number of points per target (readReportTimeline).
 */
const timelineOnDiskOnly = longRunningCommands

/** Commands that judge unanswered requests themselves: capacity (overload is the finding), smoke (reports each step), proxy and rollout (answer 502 and go on). */
const noAnswerWatch = new Set(['capacity', 'smoke', 'proxy', 'rollout'])

/**
 * One run: its directory, run.json, timeline, the target sessions and the sampling ticker. Commands differ in what
 * load they drive in between, and in what they ask the analysis to judge.
 */
export class RunContext {
  readonly sessions: TargetSession[]
  readonly runDir: string
  readonly intervalMs: number
  readonly plan: RunPlanFile
  /** Every timeline line of the run so far, in order: the analysis reads them here, never back from the file (not kept for {@link timelineOnDiskOnly}). */
  private readonly timelineLines: TimelineLine[] = []
  private readonly keepsLines: boolean
  private readonly timeline: TimelineWriter
  /** Told each interval's new lines as they are written (`--metrics`). */
  private readonly lineListeners: Array<(lines: readonly TimelineLine[]) => void> = []
  /** The redacted copy of the scenario in the run directory, when the scenario came from a file. */
  private readonly scenarioText: string | undefined
  /** performance.now() when the load starts: now, or a shard's common start time. */
  readonly runStartMs: number
  private ticker: NodeJS.Timeout | undefined
  private workers: LoadWorkers | undefined
  private flushing: Promise<void> | undefined
  /** What the scenario's setup() returned. */
  private setupData: unknown
  private setupDone = false
  /** Planned length of the load, for progress; commands may update it. */
  totalMs = 0

  constructor (readonly scenario: LoadedScenario, readonly options: RunContextOptions, phases: PlannedPhase[], schedule: ScheduleMode, extraSettings: Partial<RunResult['settings']> = {}) {
    const config = scenario.config
    const startedAt = new Date()
    const shard = options.shard
    this.runStartMs = shard === undefined ? performance.now() : performance.now() + (shard.startAt.getTime() - Date.now())
    this.runDir = createRunDir(config.name, options.out, startedAt)
    this.keepsLines = !timelineOnDiskOnly.has(options.command)
    this.intervalMs = config.sampling?.interval ?? 1000
    // shards without --seed take theirs from the start time they share, so they draw alike and merge
    const seed = options.seed ?? (shard === undefined ? Math.floor(Math.random() * 2 ** 31) : seedFromStartTime(shard.startAt))
    const names = Object.keys(config.targets).filter((name) => options.only === undefined || options.only.includes(name))
    this.plan = {
      schemaVersion: resultSchemaVersion,
      tool: { name: 'cutover', version: toolVersion },
      scenario: { name: config.name, ...(config.description === undefined ? {} : { description: config.description }), file: scenario.file },
      command: options.command,
      startedAt: startedAt.toISOString(),
      schedule,
      settings: {
        intervalMs: this.intervalMs,
        seed,
        ...extraSettings,
        ...((options.workers ?? 1) > 1 ? { workers: options.workers } : {}),
        ...(scenario.overrides.length === 0 ? {} : { overrides: scenario.overrides }),
        ...(shard === undefined ? {} : { shard: { index: shard.share.index + 1, count: shard.share.count, startAt: shard.startAt.toISOString(), samples: shard.samples } })
      },
      phases,
      targets: Object.fromEntries(names.map((name) => [name, { url: scenario.targets[name]?.url.href ?? '' }])),
      slo: config.checks?.slo ?? {},
      ...(config.checks === undefined ? {} : { checks: config.checks }),
      environment: describeEnvironment(options.env)
    }
    writeRunPlan(this.runDir, this.plan)
    this.scenarioText = writeScenarioCopy(scenario.file, this.runDir, scenario.text)
    this.timeline = new TimelineWriter(join(this.runDir, timelineFileName))
    const random = seededRandom(shard === undefined ? seed : shareSeed(seed, shard.share))
    this.sessions = names.map((name) => new TargetSession({
      name, scenario, phases, runDir: this.runDir, progress: options.progress, random, env: options.env, signal: options.signal, runStartMs: this.runStartMs, intervalMs: this.intervalMs,
      watchAnswers: !noAnswerWatch.has(options.command),
      ...(shard === undefined || isWhole(shard.share) ? {} : { share: shard.share, samples: shard.samples })
    }))
  }

  /** What the scenario's setup() returned (undefined without one, or before the targets started). */
  get setupResult (): unknown {
    return this.setupData
  }

  /** Every timeline line of the run so far, in order (about 2 KB per target and interval, kept for the analysis). */
  get lines (): readonly TimelineLine[] {
    if (!this.keepsLines) throw new Error(`the ${this.options.command} command keeps its timeline on disk only: read it with readTimeline`)
    return this.timelineLines
  }

  /** Calls `listener` with the timeline lines of every interval closed from now on, as they are written. */
  onLines (listener: (lines: readonly TimelineLine[]) => void): void {
    this.lineListeners.push(listener)
  }

  /** The session of `name`. */
  session (name: string): TargetSession | undefined {
    return this.sessions.find((session) => session.name === name)
  }

  /** Runs one step of the schedule: each of its segments on its target, together; `dueMs`: when it is due on the shards' clock. */
  async runStep (step: ScheduleStep, dueMs?: number): Promise<void> {
    await Promise.all(step.segments.map((segment) => this.session(segment.target)?.runSegment(segment, describePhase(segment.phase), dueMs)))
  }

  /** Starts every target (all before any load, so schedules can alternate between them) and the sampling ticker. */
  async start (): Promise<void> {
    for (const session of this.sessions) {
      if (this.options.signal.aborted) break
      await session.start()
    }
    if (!this.options.signal.aborted) {
      keepGeneratorOffServiceCores(this.scenario, this.sessions.filter((session) => session.usable).map((session) => session.name), (text) => { this.options.progress.message(text) })
      await this.setup()
    }
    const workers = this.options.workers ?? 1
    if (workers > 1 && !this.options.signal.aborted) {
      this.workers = await LoadWorkers.start({
        count: workers,
        scenario: sourceOf(this.scenario),
        overrides: this.scenario.overrideFlags,
        setupData: transferable(this.setupData),
        env: this.options.env,
        seed: this.plan.settings.seed,
        share: this.options.shard?.share,
        sinks: new Map(this.sessions.map((session) => [session.name, session.sink]))
      })
      for (const session of this.sessions) session.useWorkers(this.workers)
    }
    const shard = this.options.shard
    if (shard !== undefined) {
      this.options.progress.message(`shard ${describeShare(shard.share)}: load starts at ${shard.startAt.toISOString()}${shard.samples ? '; this shard samples CPU and memory' : ''}`)
      await waitFor(this.runStartMs - performance.now(), this.options.signal)
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
    // the workers' requests so far, into the recorders, before the interval closes
    await this.workers?.flush().catch(() => {})
    const now = performance.now()
    const intervals = this.sessions.map((session) => session.rotate(now))
    const samples = await Promise.all(this.sessions.map((session, i) => intervals[i] === undefined ? undefined : session.sampleResources(now)))
    const added: TimelineLine[] = []
    this.sessions.forEach((session, i) => {
      const interval = intervals[i]
      if (interval === undefined) return
      const line = session.closeInterval(interval, samples[i], now - this.runStartMs, this.totalMs)
      this.timeline.append(line)
      if (this.keepsLines) this.timelineLines.push(line)
      added.push(line)
    })
    for (const listener of this.lineListeners) listener(added)
  }

  /** Closes the interval now, after any tick in progress (phase boundaries of a capacity step). */
  async flushNow (): Promise<void> {
    await this.flushing
    await this.flushAll()
  }

  /** Runs the scenario's setup() once, before any load (after the services started); its result goes to every hook. */
  private async setup (): Promise<void> {
    const setup = this.scenario.lifecycle?.setup
    if (setup === undefined) return
    this.options.progress.message('setup: running the hooks module\'s setup()')
    try {
      this.setupData = await setup({ targets: this.targetUrls(), env: this.options.env })
    } catch (error) {
      throw new CutoverError('SCENARIO_CODE', `setup() failed: ${thrownMessage(error)}`, { hint: 'setup() runs once before the load, with every target started; nothing was sent' })
    }
    this.setupDone = true
    for (const session of this.sessions) session.useSetupData(this.setupData)
  }

  /** Runs teardown() once after the load, while the services still run; a failure is reported, the run's figures stand. */
  private async teardown (): Promise<void> {
    const teardown = this.scenario.lifecycle?.teardown
    if (teardown === undefined || (this.scenario.lifecycle?.setup !== undefined && !this.setupDone)) return
    try {
      await teardown({ targets: this.targetUrls(), env: this.options.env, data: this.setupData })
    } catch (error) {
      this.options.progress.message(`warning: teardown() failed: ${thrownMessage(error)}`)
    }
  }

  /** What a hook of a request sent outside the drivers (a shadow run) gets for `target`; undefined without hooks. */
  hookContext (target: string, url: URL): HookContext | undefined {
    if (this.scenario.hooksSource === undefined) return undefined
    return { target, url: url.href, vars: {}, data: this.setupData, env: this.options.env }
  }

  private targetUrls (): Record<string, string> {
    return Object.fromEntries(Object.entries(this.scenario.targets).map(([name, target]) => [name, target.url.href]))
  }

  /** Drains outstanding requests, takes the last sample, stops the services and closes the timeline. */
  async finish (): Promise<void> {
    try {
      await Promise.all(this.sessions.map((session) => session.drain()))
      await this.teardown()
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

  /** What the run measured: each target that ran, the targets that could not, and how the run ended (`detail: 'checks'`: see summarizeTarget). */
  measured (detail: SummaryDetail = 'full'): MeasuredRun {
    const targets: Record<string, TargetSummary> = {}
    const failures: TargetFailure[] = []
    for (const session of this.sessions) {
      const summary = session.summary(detail)
      if (summary !== undefined) targets[session.name] = summary
      const failure = session.failure
      if (failure !== undefined) failures.push({ target: session.name, code: failure.code, message: failure.message, ...(failure.hint === undefined ? {} : { hint: failure.hint }) })
    }
    const status: RunStatus = this.options.signal.aborted ? 'interrupted' : failures.length > 0 ? 'failed' : 'completed'
    const { schemaVersion, tool, scenario, command, startedAt, schedule, settings, environment } = this.plan
    return { schemaVersion, tool, scenario, command, startedAt, endedAt: new Date().toISOString(), status, schedule, targets, failures, settings, environment }
  }

  /** Each target's memory series and the scenario's `checks.leak`, as the leak analysis takes them. */
  leakInput (): NonNullable<RunAnalysisInput['leak']> {
    const leak = this.scenario.config.checks?.leak
    return { memory: this.sessions.map((session) => session.memory()), maxGrowth: leak === undefined ? undefined : leak === 'auto' ? 'auto' : leak.maxGrowth }
  }

  /** Writes result.json alone (the proxy's refreshes, whose reports are drawn by another process from the files). */
  writeResult (result: RunResult): void {
    writeResultFile(this.runDir, result)
  }

  /** Writes result.json; returns what the reports are drawn from, from memory (the timeline read back when it is kept on disk only). */
  write (result: RunResult): RunDirContents {
    // result.json first: reading a long proxy's timeline back takes a while (26 s for a day), and a stop cut short
    // must not leave it saying the proxy is running
    const written = writeResultFile(this.runDir, result)
    const onDisk = this.keepsLines ? undefined : readReportTimeline(this.runDir, this.options.command)
    return {
      runDir: this.runDir,
      result: written,
      timeline: onDisk?.lines ?? this.timelineLines,
      skippedTimelineLines: onDisk?.skipped ?? 0,
      plan: this.plan,
      ...(this.scenarioText === undefined ? {} : { scenarioText: this.scenarioText }),
      logFiles: listRunFiles(join(this.runDir, 'logs'), this.runDir)
    }
  }
}

