/**
 * The parallel run on live traffic: after a caller has old's answer, its request goes to new (and, for a sampled
 * share, to old a second time) off the caller's path, and the answers are reconciled with `cutover shadow`'s
 * normalisation, differ and statistics. A bounded queue: what cannot wait is dropped and counted, never delayed;
 * while the proxy's event loop is busy with callers the mirror takes nothing (shed, and counted), since its requests
 * and comparisons share the callers' thread.
 */
import type { Dispatcher } from 'undici'
import type { ShadowAnswer } from '../shadow/answer.js'
import type { ShadowCollector } from '../shadow/collector.js'
import { compareAnswers } from '../shadow/compare.js'
import { normalizeAnswer } from '../shadow/normalize.js'
import type { ShadowRules } from '../shadow/rules.js'
import { makeSample } from '../shadow/samples.js'
import { sendToTarget } from '../shadow/send.js'
import type { ShadowRequest } from '../shadow/sources.js'

/** One caller's request and the answer old gave it, to be mirrored. */
export interface MirrorJob {
  request: ShadowRequest
  oldAnswer: ShadowAnswer
}

/** One side a mirrored request goes to. */
export interface MirrorArm {
  url: URL
  headers: Record<string, string>
}

/** What the mirror needs. */
export interface MirrorSettings {
  dispatcher: Dispatcher
  candidate: MirrorArm
  old: MirrorArm
  rules: ShadowRules
  /** Share of mirrored requests also sent to old again (their pairs feed the statistics). */
  noiseSample: number
  random: () => number
  /** Jobs waiting or outstanding at most. */
  maxQueued: number
  /** Mirror requests outstanding at once. */
  concurrency: number
  collector: ShadowCollector
  /** new's answer, for new's recorder. */
  answered: (answer: ShadowAnswer) => void
  /** True while the proxy is too busy with callers to mirror (busy-gauge.ts); never busy when absent. */
  busy?: (() => boolean) | undefined
}

/** Counts of one endpoint's mirrored requests. */
export interface MirroredEndpoint {
  mirrored: number
  /** Requests where new's answer differed from old's on a field that is not ignored. */
  differing: number
}

/** The mirror's counters, as status and result.json show them. */
export interface MirrorCounts {
  /** Requests sent to new. */
  mirrored: number
  /** Of those, also sent to old again and compared with the statistics. */
  compared: number
  /** Not mirrored: the queue was full. */
  dropped: number
  /** Not mirrored: the proxy was busy with callers (its event loop over proxy.mirrorYield), so the mirror yielded. */
  shed: number
  /** Not mirrored: a body larger than maxMirrorBody. */
  tooLarge: number
  /** Not mirrored: a mutating request whose route did not opt in. */
  mutating: number
  /** Waiting or outstanding now. */
  queued: number
  differing: number
}

/** The queue and the reconciliation. */
export class Mirror {
  private readonly waiting: MirrorJob[] = []
  private active = 0
  private idle: Array<() => void> = []
  readonly counts: MirrorCounts = { mirrored: 0, compared: 0, dropped: 0, shed: 0, tooLarge: 0, mutating: 0, queued: 0, differing: 0 }
  readonly endpoints = new Map<string, MirroredEndpoint>()
  private stopped = false

  constructor (private readonly settings: MirrorSettings) {}

  /** Queues a job, or drops and counts it when the queue is full or the proxy is busy with callers; returns at once. */
  push (job: MirrorJob): void {
    if (this.stopped) return
    if (this.settings.busy?.() === true) {
      this.counts.shed++
      return
    }
    if (this.waiting.length + this.active >= this.settings.maxQueued) {
      this.counts.dropped++
      return
    }
    this.waiting.push(job)
    this.pump()
  }

  private pump (): void {
    while (this.active < this.settings.concurrency && this.waiting.length > 0) {
      const job = this.waiting.shift() as MirrorJob
      this.active++
      void this.mirror(job).catch(() => {}).finally(() => {
        this.active--
        this.pump()
        if (this.active === 0 && this.waiting.length === 0) for (const resolve of this.idle.splice(0)) resolve()
      })
    }
    this.counts.queued = this.waiting.length + this.active
  }

  private async mirror (job: MirrorJob): Promise<void> {
    const { settings } = this
    const sampled = settings.random() < settings.noiseSample
    const [candidate, again] = await Promise.all([
      sendToTarget(settings.dispatcher, settings.candidate.url, job.request, settings.candidate.headers),
      sampled ? sendToTarget(settings.dispatcher, settings.old.url, job.request, settings.old.headers) : undefined
    ])
    settings.answered(candidate)
    this.counts.mirrored++
    const endpoint = this.endpoints.get(job.request.endpoint) ?? { mirrored: 0, differing: 0 }
    this.endpoints.set(job.request.endpoint, endpoint)
    endpoint.mirrored++
    const { rules } = settings
    const old = normalizeAnswer(job.oldAnswer, rules, 'old')
    const raw = compareAnswers(old, normalizeAnswer(candidate, rules, 'new'), rules.headers, rules.arrays)
    if (raw.some((difference) => !difference.ignored)) {
      endpoint.differing++
      this.counts.differing++
    }
    if (again === undefined) return
    this.counts.compared++
    const noise = compareAnswers(old, normalizeAnswer(again, rules, 'old'), rules.headers, rules.arrays)
    const failed = candidate.error !== undefined || again.error !== undefined
    settings.collector.record(job.request.endpoint, raw, noise, failed, () => makeSample(job.request, job.oldAnswer, again, candidate))
  }

  /** Takes no more jobs and waits up to `graceMs` for those queued or outstanding. */
  async drain (graceMs: number): Promise<void> {
    this.stopped = true
    if (this.active === 0 && this.waiting.length === 0) return
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      new Promise<void>((resolve) => { this.idle.push(resolve) }),
      new Promise<void>((resolve) => { timer = setTimeout(resolve, graceMs) })
    ])
    if (timer !== undefined) clearTimeout(timer)
    this.waiting.length = 0
    this.counts.queued = this.active
  }
}
