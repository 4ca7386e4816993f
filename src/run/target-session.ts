import { setMaxListeners } from 'node:events'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { Client } from 'undici'
import { AnswerWatch, type SilenceVerdict } from '../analysis/answer-watch.js'
import { CutoverError } from '../core/errors.js'
import type { PhaseSummary, TargetEvent, TargetSummary } from '../core/result-types.js'
import { ClosedModelDriver } from '../load/closed-model.js'
import type { LoadDriver } from '../load/driver.js'
import { JourneyRunner, type StepReport, type StepSender } from '../load/journey-runner.js'
import { sendRequest } from '../load/journey-step.js'
import { OpenModelDriver } from '../load/open-model.js'
import { RequestMix } from '../load/request-mix.js'
import { TargetRecorder } from '../metrics/recorder.js'
import type { PlannedPhase } from '../plan/phases.js'
import type { Segment } from '../plan/schedule.js'
import { phaseSummary, summarizeTarget } from '../report/target-summary.js'
import { timelineLine, type TimelineWriter } from '../report/timeline.js'
import type { LoadedScenario } from '../scenario/load.js'
import { isListening } from '../targets/readiness.js'
import { startService, type StartedService } from '../targets/service.js'
import { clinicCommand, clinicOutput } from '../targets/clinic.js'
import { createSampler } from '../sampling/create-sampler.js'
import { NodeHeapProbe } from '../sampling/node-heap.js'
import { summarizeResources } from '../sampling/resource-summary.js'
import type { ResourceSample, Sampler } from '../sampling/sampler.js'
import type { IntervalSnapshot } from '../metrics/recorder.js'
import type { ProgressSink } from './progress.js'
import { unansweredFailure } from './unanswered-target.js'

/** What a session needs from the run. */
export interface SessionInput {
  name: string
  scenario: LoadedScenario
  phases: PlannedPhase[]
  runDir: string
  progress: ProgressSink
  random: () => number
  env: Record<string, string | undefined>
  /** Aborted on Ctrl-C. */
  signal: AbortSignal
  /** performance.now() when the run's load began; timeline `t` counts from here. */
  runStartMs: number
  intervalMs: number
  /** Declare the target unreachable when it answers nothing for a while (off for capacity searches, where overload is the finding). */
  watchAnswers: boolean
}

/** How often the process tree of a started service is looked at for children to stop later. */
const treeLookEveryMs = 5000

/** Longest wait for outstanding requests after the last phase before they are cut off (the hard deadline). */
const drainLimitMs = 10_000

/** One target during a run: its service, its load drivers, its recorder and what happened to it. */
export class TargetSession {
  readonly events: TargetEvent[] = []
  readonly recorder: TargetRecorder
  private service: StartedService | undefined
  private readonly drivers: Record<PlannedPhase['kind'], LoadDriver> = { open: new OpenModelDriver(), closed: new ClosedModelDriver() }
  private readonly mix: RequestMix
  private readonly journeys: JourneyRunner | undefined
  private readonly loadController = new AbortController()
  private failureError: CutoverError | undefined
  private started = false
  private readonly startedAtEpoch = Date.now()
  private readonly epochOffsetMs: number
  private lastPhaseShown = ''
  private sampler: Sampler | undefined
  /** `start.heap`: the live V8 heap of the service's node processes. */
  private heapProbe: NodeHeapProbe | undefined
  /** One sample per interval, with seconds since the run's start, the phase and the load then: bounded by the run's length. */
  readonly resources: Array<{ t: number, sample: ResourceSample, phase: string, load: number }> = []
  private lastTreeLookMs = 0
  private readonly answers = new AnswerWatch()

  constructor (private readonly input: SessionInput) {
    const target = input.scenario.config.targets[input.name]
    this.mix = new RequestMix(input.scenario.requests, input.scenario.data, input.random, input.env, target?.headers ?? {})
    const model = input.phases.every((p) => p.kind === 'closed') ? 'closed' : 'open'
    this.recorder = new TargetRecorder(input.name, input.runStartMs, model)
    const journeys = input.scenario.journeys
    this.journeys = journeys.length === 0 ? undefined : JourneyRunner.create(journeys, this.mix, this.recorder)
    this.epochOffsetMs = Date.now() - performance.now()
    input.signal.addEventListener('abort', () => this.loadController.abort(), { once: true })
    // every journey waiting on a think time or a step listens for the end of the load, and lets go when done
    setMaxListeners(0, this.loadController.signal)
  }

  get name (): string {
    return this.input.name
  }

  /** Why this target stopped taking part (exit code 3), if it did. */
  get failure (): CutoverError | undefined {
    return this.failureError
  }

  /** True while the target can take load. */
  get usable (): boolean {
    return this.started && this.failureError === undefined && !this.loadController.signal.aborted
  }

  private get url (): URL {
    const resolved = this.input.scenario.targets[this.input.name]
    if (resolved === undefined) throw new Error(`unknown target ${this.input.name}`)
    return resolved.url
  }

  private nowSeconds (): number {
    return Math.round(performance.now() - this.input.runStartMs) / 1000
  }

  /** Starts the service if the scenario says how, or checks that something answers; records the failure otherwise. */
  async start (): Promise<void> {
    const { name, scenario, progress } = this.input
    const config = scenario.config.targets[name]
    const resolved = scenario.targets[name]
    if (config === undefined || resolved === undefined) throw new Error(`unknown target ${name}`)
    try {
      if (config.start !== undefined) {
        const profile = config.profile === undefined ? undefined : clinicCommand(name, config.profile, config.start.command, this.clinicDest)
        if (config.start.heap === true) this.heapProbe = new NodeHeapProbe(Math.max(this.input.intervalMs, 1000))
        const heapEnv = this.heapProbe?.env(resolved.env.NODE_OPTIONS ?? profile?.env?.NODE_OPTIONS ?? this.input.env.NODE_OPTIONS)
        progress.message(`starting ${name}: ${config.start.command}${config.profile === undefined ? '' : ` under clinic ${config.profile}`}`)
        this.service = await startService({
          target: name,
          command: profile?.command ?? config.start.command,
          env: { ...resolved.env, ...profile?.env, ...heapEnv },
          profiled: profile !== undefined,
          cwd: join(scenario.dir, config.start.cwd ?? '.'),
          url: resolved.url,
          readyPath: config.start.ready,
          readyTimeoutMs: config.start.readyTimeout ?? 30_000,
          stopGraceMs: config.start.stopGrace ?? 5000,
          signal: this.input.signal,
          logFile: join(this.input.runDir, 'logs', `${name}.log`)
        })
        this.service.onUnexpectedExit((exit) => {
          const detail = exit.signal !== null ? `killed by ${exit.signal}` : `exited with code ${String(exit.code)}`
          this.events.push({ t: this.nowSeconds(), type: 'exited', detail })
          this.failureError = new CutoverError('TARGET_DIED', `target "${name}" ${detail} during the run`, { hint: `see its output in ${join(this.input.runDir, 'logs', `${name}.log`)}` })
          progress.message(`target ${name} ${detail}; its load stops, what was measured is kept`)
          this.loadController.abort()
        })
      } else if (config.profile !== undefined) {
        throw new CutoverError('TARGET_START_FAILED', `target "${name}": profile: ${config.profile} needs a start: command, so cutover can run the service under clinic`)
      } else if (!(await isListening(resolved.url))) {
        throw new CutoverError('TARGET_UNREACHABLE', `target "${name}": nothing answers at ${resolved.url.host}`, { hint: 'start the service first, or give the target a start: command' })
      }
      this.sampler = await createSampler(config.monitor, this.service?.pid, { intervalMs: this.input.intervalMs, baseDir: scenario.dir })
      this.started = true
    } catch (error) {
      if (!(error instanceof CutoverError)) throw error
      this.failureError = error
      progress.message(`${error.message}${error.hint === undefined ? '' : ` (${error.hint})`}`)
    }
  }

  /** Runs one segment of the schedule (a phase, or a slice of one). */
  async runSegment (segment: Segment, describe: string): Promise<void> {
    if (!this.usable) return
    const { phase } = segment
    if (this.lastPhaseShown !== phase.name) {
      this.lastPhaseShown = phase.name
      this.input.progress.phaseStarted(this.name, phase.name, describe)
    }
    this.recorder.beginPhase(phase.name, phase.kind, performance.now())
    try {
      await this.drivers[phase.kind].runPhase(phase, { target: this.name, origin: this.url, recorder: this.recorder, mix: this.mix, journeys: this.journeys, signal: this.loadController.signal }, segment.window)
    } finally {
      this.recorder.endPhase(performance.now())
    }
  }

  /**
   * `cutover smoke`: every request, then every journey, `iterations` times, one at a time on one connection, no load.
   * Each step is reported to `onStep` and counted like a request of a run (phase `smoke`).
   */
  async smoke (iterations: number, onStep: (report: StepReport) => void): Promise<void> {
    if (!this.usable) return
    const journeys = this.journeys ?? JourneyRunner.create([], this.mix, this.recorder)
    const client = new Client(this.url.origin, { pipelining: 1 })
    const signal = this.loadController.signal
    const send: StepSender = (request, readBody) => sendRequest(client, request, readBody, signal)
    this.recorder.beginPhase('smoke', 'closed', performance.now())
    try {
      for (let i = 0; i < iterations && !signal.aborted; i++) {
        for (const request of this.input.scenario.requests) {
          if (signal.aborted) break
          await journeys.runRequest(request, send, { onStep })
        }
        for (let j = 0; j < journeys.journeys.length && !signal.aborted; j++) {
          await journeys.run(j, send, performance.now(), { signal, onStep })
        }
      }
    } finally {
      this.recorder.endPhase(performance.now())
      await client.close().catch(() => {})
    }
  }

  /** Closes the current load interval; undefined when the target never started. */
  rotate (nowMs: number): { snapshot: IntervalSnapshot, active: boolean } | undefined {
    if (!this.started && this.recorder.total.counts.total === 0) return undefined
    const active = this.recorder.active
    return { snapshot: this.recorder.rotate(nowMs), active }
  }

  /** Reads CPU and memory now, when a sampler is set; a failed read is a gap, not an error. */
  async sampleResources (nowMs: number): Promise<ResourceSample | undefined> {
    if (this.service !== undefined && nowMs - this.lastTreeLookMs >= treeLookEveryMs) {
      this.lastTreeLookMs = nowMs
      this.service.rememberTree()
    }
    if (this.sampler === undefined) return undefined
    const sample = await this.sampler.sample().catch(() => undefined)
    const heapBytes = this.heapProbe?.read()
    return sample === undefined || heapBytes === undefined ? sample : { ...sample, heapBytes }
  }

  /** Writes the interval's timeline line and shows its progress. */
  record (timeline: TimelineWriter, interval: { snapshot: IntervalSnapshot, active: boolean }, sample: ResourceSample | undefined, elapsedMs: number, totalMs: number): void {
    const line = timelineLine(this.name, interval.snapshot, this.input.runStartMs, this.epochOffsetMs, sample)
    timeline.append(line)
    if (sample !== undefined) {
      // an idle slice of an interleaved run still belongs to the phase around it, at no load
      this.resources.push({ t: line.t, sample, phase: this.recorder.currentPhase?.name ?? line.phase, load: line.throughput })
    }
    if (interval.active) this.input.progress.interval(this.name, interval.snapshot, elapsedMs, totalMs)
    if (this.input.watchAnswers && this.usable) {
      const silence = this.answers.add(interval.snapshot.counts, interval.snapshot.endMs - interval.snapshot.startMs)
      if (silence !== undefined) this.stoppedAnswering(silence, false)
    }
  }

  /** After the last interval: a target that answered none of its requests failed, however short the run. */
  concludeAnswers (): void {
    if (!this.input.watchAnswers || this.failureError !== undefined || this.input.signal.aborted) return
    const silence = this.answers.atEnd()
    if (silence !== undefined) this.stoppedAnswering(silence, true)
  }

  private stoppedAnswering (silence: SilenceVerdict, atEnd: boolean): void {
    const { name, runDir, scenario } = this.input
    const { detail, error } = unansweredFailure(silence, atEnd, {
      name,
      host: this.url.host,
      logFile: this.service === undefined ? undefined : join(runDir, 'logs', `${name}.log`),
      requestTimeoutsMs: scenario.requests.map((request) => request.timeoutMs),
      drainLimitMs
    })
    this.events.push({ t: this.nowSeconds(), type: 'unreachable', detail })
    this.failureError = error
    this.input.progress.message(`target ${name} ${detail}; its load stops, what was measured is kept`)
    this.loadController.abort()
  }

  /** Waits for outstanding requests (up to the smaller of the longest timeout and 10 s), then cuts them off. */
  async drain (): Promise<void> {
    const { requests, journeys } = this.input.scenario
    const maxTimeoutMs = Math.max(...requests.map((r) => r.timeoutMs), ...journeys.flatMap((j) => j.requestSteps.map((step) => step.request.timeoutMs)), 0)
    await this.drivers.open.close(this.loadController.signal.aborted ? 0 : Math.min(maxTimeoutMs, drainLimitMs))
    await this.drivers.closed.close(0)
  }

  /** Stops the service cutover started, if any, and releases the sampler. */
  async stop (): Promise<void> {
    await this.sampler?.close()
    if (this.service === undefined) return
    const exit = await this.service.stop()
    if (this.heapProbe !== undefined) {
      this.heapProbe.close()
      if (this.resources.length >= 2 && this.resources.every((entry) => entry.sample.heapBytes === undefined)) {
        const detail = 'start.heap: no node process of this service reported its heap (is it a node service, and does its start command keep NODE_OPTIONS?); the leak analysis used RSS'
        this.events.push({ t: this.nowSeconds(), type: 'no heap', detail })
        this.input.progress.message(`target ${this.name}: ${detail}`)
      }
    }
    if (this.failureError === undefined && exit !== undefined && exit.code !== 0 && exit.code !== null && exit.signal === null && !this.input.signal.aborted) {
      this.events.push({ t: this.nowSeconds(), type: 'stopped', detail: `exited with code ${exit.code} after SIGTERM` })
    }
  }

  private get clinicDest (): string {
    return join(this.input.runDir, 'clinic', this.name)
  }

  /** Figures of one phase so far (capacity steps are judged on them). */
  phaseFigures (name: string): PhaseSummary | undefined {
    const aggregate = this.recorder.phases.find((phase) => phase.name === name)
    return aggregate === undefined ? undefined : phaseSummary(aggregate, undefined)
  }

  /** The latest resource sample, if any. */
  get lastResources (): ResourceSample | undefined {
    return this.resources.at(-1)?.sample
  }

  /** Mean CPU percent and RSS of the samples taken since `sinceSec` (seconds from the run's start). */
  resourcesSince (sinceSec: number): { cpuPercent: number, rssBytes: number } | undefined {
    const recent = this.resources.filter((entry) => entry.t >= sinceSec)
    if (recent.length === 0) return undefined
    return {
      cpuPercent: recent.reduce((sum, entry) => sum + entry.sample.cpuPercent, 0) / recent.length,
      rssBytes: recent.reduce((sum, entry) => sum + entry.sample.rssBytes, 0) / recent.length
    }
  }

  /** Seconds since the run's start. */
  get elapsedSec (): number {
    return this.nowSeconds()
  }

  /** The result.json figures of this target, or undefined when it never ran. */
  summary (): TargetSummary | undefined {
    if (!this.started) return undefined
    const summary = summarizeTarget(this.recorder, this.input.phases, this.url, this.events, this.startedAtEpoch, Date.now())
    if (this.journeys !== undefined) summary.journeys = this.journeys.journeyRecorder.summary()
    const tool = this.input.scenario.config.targets[this.name]?.profile
    const profilePath = tool === undefined ? undefined : clinicOutput(this.clinicDest, this.input.runDir)
    if (tool !== undefined && profilePath !== undefined) summary.profile = { tool, path: profilePath }
    const resources = summarizeResources(this.resources.map((entry) => entry.sample))
    if (resources !== undefined && this.sampler !== undefined) {
      const limit = this.resources.find((entry) => entry.sample.memoryLimitBytes !== undefined)?.sample.memoryLimitBytes
      summary.resources = { ...resources, source: this.sampler.source, ...(limit === undefined ? {} : { memoryLimitBytes: limit }) }
    }
    return summary
  }
}
