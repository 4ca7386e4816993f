/**
 * The main thread's side of `--workers N`: N worker threads, each running share w of N of every segment (striped as
 * shards are) with its own connections; their events are replayed into each target's one recorder, so sampling,
 * the timeline, the analysis and the report stay in the main thread and see one run.
 */
import { existsSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { JourneyRecorder } from '../../metrics/journey-recorder.js'
import type { TargetRecorder } from '../../metrics/recorder.js'
import type { Segment } from '../../plan/schedule.js'
import type { PlanShare } from '../../plan/share.js'
import type { EventBatch, FromWorker, ToWorker, WorkerInit } from './protocol.js'
import { replayEvents } from './recorder-events.js'

/** Where a target's events go in the main thread. */
export interface RecorderSink {
  recorder: TargetRecorder
  journeys: JourneyRecorder | undefined
}

/** What the workers load and which share of the plan each of them runs. */
export interface LoadWorkersInput extends Omit<WorkerInit, 'share' | 'targets'> {
  count: number
  /** The share this process runs (a shard), split again among the workers; the whole plan when absent. */
  share?: PlanShare | undefined
  sinks: Map<string, RecorderSink>
}

/** Worker `w` of `workers` within `share`: striped so that the shards' workers together are the plan exactly once. */
export function workerShare (share: PlanShare, w: number, workers: number): PlanShare {
  return { index: share.index + share.count * w, count: share.count * workers }
}

/** The worker's entry: the built one, or, when cutover runs from its TypeScript sources (benchmarks), that one through tsx's loader. */
function startWorker (workerData: WorkerInit): Worker {
  const built = new URL('./load-worker.js', import.meta.url)
  if (existsSync(fileURLToPath(built))) return new Worker(built, { workerData })
  const source = new URL('./load-worker.ts', import.meta.url).href
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}) })`
  return new Worker(boot, { eval: true, workerData })
}

interface Pending {
  resolve: () => void
  reject: (error: Error) => void
  waiting: number
}

/** N load worker threads and the replies they owe. */
export class LoadWorkers {
  private readonly workers: Worker[]
  private readonly pending = new Map<number, Pending>()
  private nextId = 1
  private failure: Error | undefined
  /** Each worker's requests outstanding, per target: the main recorder's inFlight is their sum. */
  private readonly inFlight: Array<Map<string, number>>
  private closing: Promise<void> | undefined
  /** Resolves when every worker has loaded the scenario. */
  private readonly ready: Promise<void>

  private constructor (private readonly input: LoadWorkersInput) {
    const share = input.share ?? { index: 0, count: 1 }
    const targets = [...input.sinks.keys()]
    this.inFlight = Array.from({ length: input.count }, () => new Map())
    this.ready = new Promise((resolve, reject) => { this.pending.set(0, { resolve, reject, waiting: input.count }) })
    this.workers = Array.from({ length: input.count }, (_, w) => {
      const data: WorkerInit = { scenario: input.scenario, overrides: input.overrides, setupData: input.setupData, env: input.env, seed: input.seed, share: workerShare(share, w, input.count), targets }
      const worker = startWorker(data)
      worker.on('message', (message: FromWorker) => { this.received(w, message) })
      worker.on('error', (error) => { this.fail(error) })
      worker.on('exit', (code) => { if (this.closing === undefined && code !== 0) this.fail(new Error(`load worker ${w + 1} exited with code ${code}`)) })
      return worker
    })
  }

  /** Starts `count` workers and waits until each has loaded the scenario. */
  static async start (input: LoadWorkersInput): Promise<LoadWorkers> {
    const workers = new LoadWorkers(input)
    try {
      await workers.ready
    } catch (error) {
      await Promise.all(workers.workers.map((worker) => worker.terminate()))
      throw error
    }
    return workers
  }

  get count (): number {
    return this.workers.length
  }

  private received (w: number, message: FromWorker): void {
    if (message.type === 'failed') {
      this.fail(new Error(`load worker ${w + 1} failed: ${message.message}`))
      return
    }
    for (const batch of message.batches) this.replay(w, batch)
    const pending = this.pending.get(message.id)
    if (pending === undefined) return
    if (--pending.waiting === 0) {
      this.pending.delete(message.id)
      pending.resolve()
    }
  }

  private replay (w: number, batch: EventBatch): void {
    const sink = this.input.sinks.get(batch.target)
    if (sink === undefined) return
    replayEvents(batch.events, sink.recorder, sink.journeys)
    const own = this.inFlight[w] as Map<string, number>
    own.set(batch.target, batch.inFlight)
    sink.recorder.inFlight = this.inFlight.reduce((sum, counts) => sum + (counts.get(batch.target) ?? 0), 0)
  }

  private fail (error: Error): void {
    this.failure ??= error
    for (const pending of this.pending.values()) pending.reject(error)
    this.pending.clear()
  }

  /** Sends `message` (with a fresh id) to every worker; resolves when each has replied. */
  private ask (message: (id: number) => ToWorker): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure)
    const id = this.nextId++
    const replied = new Promise<void>((resolve, reject) => { this.pending.set(id, { resolve, reject, waiting: this.workers.length }) })
    const sent = message(id)
    for (const worker of this.workers) worker.postMessage(sent)
    return replied
  }

  /** Runs `segment` of `target` in every worker, each its share, from `dueMs` (performance.now() of this thread) or now. */
  async runSegment (target: string, segment: Segment, dueMs?: number): Promise<void> {
    const dueEpochMs = performance.timeOrigin + (dueMs ?? performance.now())
    await this.ask((id) => ({ type: 'segment', id, target, phaseIndex: segment.phaseIndex, window: segment.window, dueEpochMs }))
  }

  /** Brings every worker's events so far into the main recorders (before an interval is closed). */
  async flush (): Promise<void> {
    if (this.closing !== undefined || this.failure !== undefined) return
    await this.ask((id) => ({ type: 'flush', id }))
  }

  /** Stops sending to `target` (one that died), or to every target (Ctrl-C), at once. */
  abort (target?: string): void {
    const message: ToWorker = target === undefined ? { type: 'abort' } : { type: 'abort', target }
    for (const worker of this.workers) worker.postMessage(message)
  }

  /** Waits up to `graceMs` for outstanding requests in every worker, takes their last events, and ends the threads. */
  async close (graceMs: number): Promise<void> {
    this.closing ??= this.ask((id) => ({ type: 'close', id, graceMs }))
      .catch(() => {})
      .finally(() => Promise.all(this.workers.map((worker) => worker.terminate())).then(() => {}))
    await this.closing
  }
}
