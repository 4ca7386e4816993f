import { setMaxListeners } from 'node:events'
import { performance } from 'node:perf_hooks'
import { AnswerWatch, type SilenceVerdict } from '../analysis/answer-watch.js'
import type { TargetMemory } from '../analysis/leak-for-run.js'
import { CutoverError } from '../core/errors.js'
import type { PhaseSummary, TargetEvent, TargetSummary } from '../core/result-types.js'
import type { PhaseContext } from '../load/driver.js'
import { closeDrivers, createDrivers, type PhaseDrivers } from '../load/drivers.js'
import { JourneyRunner } from '../load/journey-runner.js'
import { usesHooks } from '../scenario/bind-hooks.js'
import { RequestMix } from '../load/request-mix.js'
import type { LoadWorkers, RecorderSink } from '../load/workers/load-workers.js'
import { TargetRecorder, type IntervalSnapshot } from '../metrics/recorder.js'
import { phaseSummary, summarizeTarget, type SummaryDetail } from '../metrics/target-summary.js'
import type { PlannedPhase } from '../plan/phases.js'
import { phaseShare, type PlanShare } from '../plan/share.js'
import type { Segment } from '../plan/schedule.js'
import { timelineLine, type TimelineLine } from '../rundir/timeline-line.js'
import type { ResourceSample, Sampler } from '../sampling/sampler.js'
import type { ManagedService } from '../targets/managed-service.js'
import { ResourceSeries } from './resource-series.js'
import { samplerFor, startTarget, type TargetStartInput } from './start-target.js'
import { unansweredFailure } from './unanswered-target.js'

/** What a session needs from the run. */
export interface SessionInput extends TargetStartInput {
  phases: PlannedPhase[]
  random: () => number
  /** performance.now() when the run's load began; timeline `t` counts from here. */
  runStartMs: number
  /** Declare the target unreachable when it answers nothing for a while (off for capacity searches, where overload is the finding). */
  watchAnswers: boolean
  /** The share of the plan this process runs (a shard); the whole plan when absent. */
  share?: PlanShare | undefined
  /** False on shards that leave the target's CPU and memory to the one shard that samples them. */
  samples?: boolean | undefined
}

/** How often the process tree of a started service is looked at for children to stop later. */
const treeLookEveryMs = 5000

/** Longest wait for outstanding requests after the last phase before they are cut off (the hard deadline). */
const drainLimitMs = 10_000

/** One target during a run: its service, its load drivers, its recorder, its samples and what happened to it. */
export class TargetSession {
  readonly events: TargetEvent[] = []
  readonly recorder: TargetRecorder
  private service: ManagedService | undefined
  private readonly drivers: PhaseDrivers = createDrivers()
  private readonly mix: RequestMix
  private readonly journeys: JourneyRunner | undefined
  private readonly loadController = new AbortController()
  private failureError: CutoverError | undefined
  private started = false
  private readonly startedAtEpoch = Date.now()
  private readonly epochOffsetMs: number
  private lastPhaseShown = ''
  private sampler: Sampler | undefined
  private readonly resources = new ResourceSeries()
  private lastTreeLookMs = 0
  private readonly answers = new AnswerWatch()
  /** `--workers`: the threads that send this target's load; its events come back into `recorder`. */
  private workers: LoadWorkers | undefined

  constructor (private readonly input: SessionInput) {
    const target = input.scenario.config.targets[input.name]
    this.mix = new RequestMix(input.scenario.requests, input.scenario.data, input.random, input.env, target?.headers ?? {}, input.share)
    const model = input.phases.every((p) => p.kind === 'closed') ? 'closed' : 'open'
    this.recorder = new TargetRecorder(input.name, input.runStartMs, model)
    const journeys = input.scenario.journeys
    // requests with hooks go on the journeys' promise path, so a scenario with hooks has a runner even without journeys
    const hooked = usesHooks(input.scenario)
    this.journeys = journeys.length === 0 && !hooked ? undefined : JourneyRunner.create(journeys, this.mix, this.recorder)
    if (input.scenario.hooksSource !== undefined) this.mix.hookScope = { target: input.name, url: this.url.href, data: undefined }
    this.epochOffsetMs = Date.now() - performance.now()
    input.signal.addEventListener('abort', () => this.loadController.abort(), { once: true })
    this.loadController.signal.addEventListener('abort', () => this.workers?.abort(this.name), { once: true })
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

  /** Hands what the scenario's setup() returned to this target's hooks. */
  useSetupData (data: unknown): void {
    if (this.mix.hookScope !== undefined) this.mix.hookScope = { ...this.mix.hookScope, data }
  }

  /** What a driver (or a smoke run) needs to send this target's requests and journeys. */
  get phaseContext (): PhaseContext {
    return { target: this.name, origin: this.url, recorder: this.recorder, mix: this.mix, journeys: this.journeys, signal: this.loadController.signal, share: this.input.share }
  }

  /** Starts the service if the scenario says how, or checks that something answers; records the failure otherwise. */
  async start (): Promise<void> {
    try {
      this.service = await startTarget(this.input, (detail, error) => {
        this.events.push({ t: this.nowSeconds(), type: 'exited', detail })
        this.failureError = error
        this.input.progress.message(`target ${this.name} ${detail}; its load stops, what was measured is kept`)
        this.loadController.abort()
      })
      // a sampler that cannot be created leaves the service set, so that stop() stops it
      if (this.input.samples !== false) this.sampler = await samplerFor(this.input, this.service)
      this.started = true
    } catch (error) {
      if (!(error instanceof CutoverError)) throw error
      this.failureError = error
      this.input.progress.message(`${error.message}${error.hint === undefined ? '' : ` (${error.hint})`}`)
    }
  }

  /** Where load worker threads put this target's requests and journey steps. */
  get sink (): RecorderSink {
    return { recorder: this.recorder, journeys: this.journeys?.journeyRecorder }
  }

  /** Sends this target's load from `workers` instead of this thread. */
  useWorkers (workers: LoadWorkers): void {
    this.workers = workers
  }

  /** Runs one segment of the schedule (a phase, or a slice of one) with the driver of its kind; `dueMs`: when it is due on a shared clock. */
  async runSegment (segment: Segment, describe: string, dueMs?: number): Promise<void> {
    if (!this.usable) return
    const { phase } = segment
    if (this.lastPhaseShown !== phase.name) {
      this.lastPhaseShown = phase.name
      this.input.progress.phaseStarted(this.name, phase.name, describe)
    }
    const workers = this.workers
    if (workers !== undefined) {
      await this.inPhase(phase.name, phase.kind, () => workers.runSegment(this.name, segment, dueMs))
      return
    }
    const share = this.input.share
    const ctx = dueMs === undefined ? this.phaseContext : { ...this.phaseContext, dueMs }
    await this.inPhase(phase.name, phase.kind, () => this.drivers[phase.kind].runPhase(share === undefined ? phase : phaseShare(phase, share), ctx, segment.window))
  }

  /** Runs `work` as phase `name` of this target's figures (smoke runs count their steps as phase `smoke`). */
  async inPhase (name: string, kind: PlannedPhase['kind'], work: () => Promise<void>): Promise<void> {
    this.recorder.beginPhase(name, kind, performance.now())
    try {
      await work()
    } finally {
      this.recorder.endPhase(performance.now())
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
    const heap = this.service?.readHeap()
    if (sample === undefined || heap === undefined) return sample
    return { ...sample, heapBytes: heap.usedBytes, ...(heap.committedBytes === undefined ? {} : { heapCommittedBytes: heap.committedBytes }) }
  }

  /** The interval's timeline line; keeps its sample, shows its progress and watches whether the target still answers. */
  closeInterval (interval: { snapshot: IntervalSnapshot, active: boolean }, sample: ResourceSample | undefined, elapsedMs: number, totalMs: number): TimelineLine {
    const line = timelineLine(this.name, interval.snapshot, this.input.runStartMs, this.epochOffsetMs, sample)
    if (sample !== undefined) {
      // an idle slice of an interleaved run still belongs to the phase around it, at no load
      this.resources.add(line.t, sample, this.recorder.currentPhase?.name ?? line.phase, line.throughput)
    }
    if (interval.active) this.input.progress.interval(this.name, interval.snapshot, elapsedMs, totalMs)
    if (this.input.watchAnswers && this.usable) {
      const silence = this.answers.add(interval.snapshot.counts, interval.snapshot.endMs - interval.snapshot.startMs)
      if (silence !== undefined) this.stoppedAnswering(silence, false)
    }
    return line
  }

  /** After the last interval: a target that answered none of its requests failed, however short the run. */
  concludeAnswers (): void {
    if (!this.input.watchAnswers || this.failureError !== undefined || this.input.signal.aborted) return
    const silence = this.answers.atEnd()
    if (silence !== undefined) this.stoppedAnswering(silence, true)
  }

  private stoppedAnswering (silence: SilenceVerdict, atEnd: boolean): void {
    const { name, scenario } = this.input
    const { detail, error } = unansweredFailure(silence, atEnd, {
      name,
      host: this.url.host,
      logFile: this.service?.logFile,
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
    const graceMs = this.loadController.signal.aborted ? 0 : Math.min(maxTimeoutMs, drainLimitMs)
    await Promise.all([closeDrivers(this.drivers, graceMs), this.workers?.close(graceMs)])
  }

  /** Stops the service cutover started, if any, and releases the sampler. */
  async stop (): Promise<void> {
    await this.sampler?.close()
    if (this.service === undefined) return
    const exit = await this.service.stop()
    if (this.service.heapAskedFor && this.resources.neverSawHeap) {
      const detail = 'start.heap: no node process of this service reported its heap (is it a node service, and does its start command keep NODE_OPTIONS?); the leak analysis used RSS'
      this.events.push({ t: this.nowSeconds(), type: 'no heap', detail })
      this.input.progress.message(`target ${this.name}: ${detail}`)
    }
    if (this.failureError === undefined && exit !== undefined && exit.code !== 0 && exit.code !== null && exit.signal === null && !this.input.signal.aborted) {
      this.events.push({ t: this.nowSeconds(), type: 'stopped', detail: `exited with code ${exit.code} after SIGTERM` })
    }
  }

  /** Figures of one phase so far (capacity steps are judged on them). */
  phaseFigures (name: string): PhaseSummary | undefined {
    const aggregate = this.recorder.phases.find((phase) => phase.name === name)
    return aggregate === undefined ? undefined : phaseSummary(aggregate, undefined)
  }

  /** Mean CPU percent and RSS of the samples taken since `sinceSec` (seconds from the run's start). */
  resourcesSince (sinceSec: number): { cpuPercent: number, rssBytes: number } | undefined {
    return this.resources.since(sinceSec)
  }

  /** Seconds since the run's start. */
  get elapsedSec (): number {
    return this.nowSeconds()
  }

  /** The memory series the leak analysis judges. */
  memory (): TargetMemory {
    return this.resources.memory(this.name)
  }

  /** The result.json figures of this target, or undefined when it never ran; `detail: 'checks'`: only what the checks read (see summarizeTarget). */
  summary (detail: SummaryDetail = 'full'): TargetSummary | undefined {
    if (!this.started) return undefined
    const summary = summarizeTarget(this.recorder, this.input.phases, this.url, this.events, this.startedAtEpoch, Date.now(), detail)
    if (this.journeys?.hasJourneys === true) summary.journeys = this.journeys.journeyRecorder.summary()
    const tool = this.input.scenario.config.targets[this.name]?.profile
    const profilePath = this.service?.profileOutput()
    if (tool !== undefined && profilePath !== undefined) summary.profile = { tool, path: profilePath }
    const resources = this.sampler === undefined ? undefined : this.resources.usage(this.sampler.source)
    const probeCost = this.service?.heapProbeCost()
    if (resources !== undefined) summary.resources = probeCost === undefined ? resources : { ...resources, heapProbe: probeCost }
    return summary
  }
}
