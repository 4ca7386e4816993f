import type { LatencySummaryMs, RequestCounts } from '../core/result-types.js'
import { addCounts, emptyCounts, tally } from './counters.js'
import { createHistogram, encodeHistogram, mergeInto, recordUs, summarizeMs, type Histogram } from './histogram.js'

/** A request that left more than this after its intended time counts as a late start. */
export const lateStartUs = 10_000

/** What the load generator itself did: how far behind its plan it fell. */
export interface GeneratorCounts {
  /** Arrivals not sent because `maxInFlight` requests were outstanding (k6's dropped iterations). */
  dropped: number
  /** Requests sent more than 10 ms after their intended time. */
  late: number
  /** Requests sent. */
  sent: number
}

/** The figures of one closed sampling interval. */
export interface IntervalSnapshot {
  startMs: number
  endMs: number
  phase: string
  counts: RequestCounts
  latencyMs: LatencySummaryMs
  /** Encoded latency histogram of this interval (microseconds). */
  histogram: string
  sendLagMs: { p50: number, p99: number, max: number }
  generator: GeneratorCounts
  /** Requests outstanding at the end of the interval. */
  inFlight: number
  /**
   * Which of the target's slices (segments of load, counted from 1; 0 before the first) the interval's requests belong
   * to: the one running, or the last one when the target is idle (nothing is sent while idle, so what ends then was
   * sent in the last slice).
   */
  slice: number
  /** Requests that ended in this interval but were sent in an earlier slice (counted in the figures above too). */
  carried: CarriedRequests[]
}

/** Requests of one earlier slice that ended in a later slice's interval. */
export interface CarriedRequests {
  slice: number
  requests: number
  failed: number
  /** Encoded latency histogram of those requests (µs). */
  histogram: string
}

/** Aggregates for one phase (or the whole run) of one target. */
export interface Aggregate {
  name: string
  model: 'open' | 'closed'
  startMs: number
  endMs: number
  /** Time spent under this phase's load; with interleaving, the sum of its slices. */
  activeMs: number
  counts: RequestCounts
  latency: Histogram
  sendLag: Histogram
  generator: GeneratorCounts
  /** Highest per-interval throughput seen, requests per second. */
  maxThroughput: number
}

function emptyAggregate (name: string, model: 'open' | 'closed', startMs: number): Aggregate {
  return { name, model, startMs, endMs: startMs, activeMs: 0, counts: emptyCounts(), latency: createHistogram(), sendLag: createHistogram(), generator: { dropped: 0, late: 0, sent: 0 }, maxThroughput: 0 }
}

function addGenerator (target: GeneratorCounts, source: GeneratorCounts): void {
  target.dropped += source.dropped
  target.late += source.late
  target.sent += source.sent
}

/** Counts one answer with its status, as a success or as a failure of kind `failure`. */
function countResponse (counts: RequestCounts, status: number, failure: string | undefined): void {
  counts.total++
  tally(counts.byStatus, String(status))
  if (failure === undefined) {
    counts.ok++
  } else {
    counts.failed++
    tally(counts.byError, failure)
  }
}

/** Records one target's requests into per-interval, per-phase and whole-run figures. Memory stays bounded: no per-request arrays. */
export class TargetRecorder {
  readonly phases: Aggregate[] = []
  readonly total: Aggregate
  // what was recorded since the last fold into a phase
  private counts = emptyCounts()
  private readonly latency = createHistogram()
  private readonly sendLag = createHistogram()
  private generator: GeneratorCounts = { dropped: 0, late: 0, sent: 0 }
  // what the current interval holds of earlier folds (its timeline line is written at rotate)
  private intervalCounts = emptyCounts()
  private readonly intervalLatency = createHistogram()
  private readonly intervalSendLag = createHistogram()
  private intervalGenerator: GeneratorCounts = { dropped: 0, late: 0, sent: 0 }
  private intervalStartMs: number
  private intervalPhase: string | undefined
  /** Requests currently outstanding; maintained by the driver. */
  inFlight = 0
  /** Segments of load begun so far: the current (or last) slice's number. */
  private sliceNumber = 0
  /** Requests of earlier slices that ended in this interval, by the slice they were sent in. */
  private carried = new Map<number, { requests: number, failed: number, latency: Histogram }>()
  /** The phase each slice ran: an answer counts in the phase its request was sent in. */
  private readonly phaseOfSlice = new Map<number, Aggregate>()
  // answers to requests of another phase since the last fold: already in their phase, still to add to the run and interval
  private elsewhereCounts = emptyCounts()
  private readonly elsewhereLatency = createHistogram()

  /** The phase a request of slice `sentInSlice` was sent in, when it is not the phase being recorded now. */
  private homeOf (sentInSlice: number | undefined): Aggregate | undefined {
    if (sentInSlice === undefined || sentInSlice === this.sliceNumber) return undefined
    const home = this.phaseOfSlice.get(sentInSlice)
    return home === this.lastPhase ? undefined : home
  }

  /** The slice now running, or the last one: what a request sent now belongs to. */
  get slice (): number {
    return this.sliceNumber
  }

  /** Notes a request of an earlier slice, so the analysis can count it where it was sent. */
  private carry (sentInSlice: number | undefined, failed: boolean, latencyUs: number | undefined): void {
    if (sentInSlice === undefined || sentInSlice === this.sliceNumber) return
    let entry = this.carried.get(sentInSlice)
    if (entry === undefined) {
      entry = { requests: 0, failed: 0, latency: createHistogram() }
      this.carried.set(sentInSlice, entry)
    }
    entry.requests++
    if (failed) entry.failed++
    if (latencyUs !== undefined) recordUs(entry.latency, latencyUs)
  }

  constructor (readonly target: string, startMs: number, model: 'open' | 'closed' = 'open') {
    this.intervalStartMs = startMs
    this.total = emptyAggregate('all', model, startMs)
  }

  /** True when something was recorded since the last rotate. */
  get hasPending (): boolean {
    return this.counts.total > 0 || this.generator.sent > 0 || this.intervalCounts.total > 0 || this.intervalGenerator.sent > 0
  }

  private lastPhase: Aggregate | undefined
  private activeSinceMs: number | undefined

  /** The phase being recorded, or the last one (responses after a slice ends still belong to it). */
  get currentPhase (): Aggregate | undefined {
    return this.lastPhase
  }

  /** True while a phase's load is running. */
  get active (): boolean {
    return this.activeSinceMs !== undefined
  }

  /** Starts (or, for an interleaved slice, resumes) a phase; later records go to it. */
  beginPhase (name: string, model: 'open' | 'closed', nowMs: number): void {
    if (this.activeSinceMs !== undefined) this.endPhase(nowMs)
    // what came before belongs to the phase before
    this.fold(nowMs)
    let phase = this.phases.find((p) => p.name === name)
    if (phase === undefined) {
      phase = emptyAggregate(name, model, nowMs)
      this.phases.push(phase)
    }
    this.lastPhase = phase
    this.activeSinceMs = nowMs
    this.intervalPhase = name
    this.sliceNumber++
    this.phaseOfSlice.set(this.sliceNumber, phase)
  }

  /** The phase's load stopped (end of the phase or of an interleaved slice). */
  endPhase (nowMs: number): void {
    if (this.activeSinceMs === undefined || this.lastPhase === undefined) return
    const elapsed = nowMs - this.activeSinceMs
    this.lastPhase.activeMs += elapsed
    this.total.activeMs += elapsed
    this.activeSinceMs = undefined
    this.fold(nowMs)
  }

  /** Moves what was recorded since the last fold into the current phase, the run, and the interval's tally. */
  private fold (nowMs: number): void {
    const phase = this.lastPhase
    for (const aggregate of phase === undefined ? [this.total] : [phase, this.total]) {
      addCounts(aggregate.counts, this.counts)
      mergeInto(aggregate.latency, this.latency)
      mergeInto(aggregate.sendLag, this.sendLag)
      addGenerator(aggregate.generator, this.generator)
      aggregate.endMs = nowMs
    }
    addCounts(this.total.counts, this.elsewhereCounts)
    mergeInto(this.total.latency, this.elsewhereLatency)
    addCounts(this.intervalCounts, this.elsewhereCounts)
    mergeInto(this.intervalLatency, this.elsewhereLatency)
    this.elsewhereCounts = emptyCounts()
    this.elsewhereLatency.reset()
    addCounts(this.intervalCounts, this.counts)
    mergeInto(this.intervalLatency, this.latency)
    mergeInto(this.intervalSendLag, this.sendLag)
    addGenerator(this.intervalGenerator, this.generator)
    this.counts = emptyCounts()
    this.generator = { dropped: 0, late: 0, sent: 0 }
    this.latency.reset()
    this.sendLag.reset()
  }

  /**
   * A response arrived; `failure` says why it does not count as a success. `sentInSlice` is the slice the request was
   * sent in (recorder.slice at send time), when the driver knows it.
   */
  response (latencyUs: number, status: number, failure?: string, sentInSlice?: number): void {
    this.carry(sentInSlice, failure !== undefined, latencyUs)
    const home = this.homeOf(sentInSlice)
    if (home === undefined) {
      countResponse(this.counts, status, failure)
      recordUs(this.latency, latencyUs)
      return
    }
    countResponse(home.counts, status, failure)
    recordUs(home.latency, latencyUs)
    countResponse(this.elsewhereCounts, status, failure)
    recordUs(this.elsewhereLatency, latencyUs)
  }

  /** A request failed without a response (refused, reset, timeout...). Timeouts pass their latency. */
  error (kind: string, latencyUs?: number, sentInSlice?: number): void {
    this.carry(sentInSlice, true, latencyUs)
    const home = this.homeOf(sentInSlice)
    for (const [counts, latency] of home === undefined ? [[this.counts, this.latency] as const] : [[home.counts, home.latency] as const, [this.elsewhereCounts, this.elsewhereLatency] as const]) {
      counts.total++
      counts.failed++
      tally(counts.byError, kind)
      if (latencyUs !== undefined) recordUs(latency, latencyUs)
    }
  }

  /** An arrival was not sent because too many requests were outstanding. */
  dropped (): void {
    this.counts.total++
    this.counts.failed++
    tally(this.counts.byError, 'dropped')
    this.generator.dropped++
  }

  /** A request left `lagUs` after its intended time. */
  sent (lagUs: number): void {
    this.generator.sent++
    if (lagUs > lateStartUs) this.generator.late++
    recordUs(this.sendLag, lagUs)
  }

  /** Closes the current interval: folds what is pending into its phase and returns the interval's figures. */
  rotate (nowMs: number): IntervalSnapshot {
    this.fold(nowMs)
    const seconds = Math.max((nowMs - this.intervalStartMs) / 1000, 1e-3)
    const lag = this.intervalSendLag
    const snapshot: IntervalSnapshot = {
      startMs: this.intervalStartMs,
      endMs: nowMs,
      // an interval that saw any load is named after the phase it saw last; one with none is idle
      phase: this.activeSinceMs === undefined && this.intervalPhase === undefined ? 'idle' : this.intervalPhase ?? this.lastPhase?.name ?? 'idle',
      counts: this.intervalCounts,
      latencyMs: summarizeMs(this.intervalLatency),
      histogram: encodeHistogram(this.intervalLatency),
      sendLagMs: { p50: lag.totalCount === 0 ? 0 : lag.getValueAtPercentile(50) / 1000, p99: lag.totalCount === 0 ? 0 : lag.getValueAtPercentile(99) / 1000, max: lag.maxValue / 1000 },
      generator: this.intervalGenerator,
      inFlight: this.inFlight,
      slice: this.sliceNumber,
      carried: [...this.carried].map(([slice, entry]) => ({ slice, requests: entry.requests, failed: entry.failed, histogram: encodeHistogram(entry.latency) }))
    }
    this.carried = new Map()
    // only intervals spent fully under one phase's load say something about peak throughput
    const underLoad = this.activeSinceMs !== undefined && this.activeSinceMs <= this.intervalStartMs
    if (underLoad && seconds >= 0.5) {
      const throughput = (this.intervalCounts.total - this.intervalGenerator.dropped) / seconds
      for (const aggregate of this.lastPhase === undefined ? [this.total] : [this.lastPhase, this.total]) aggregate.maxThroughput = Math.max(aggregate.maxThroughput, throughput)
    }
    this.intervalCounts = emptyCounts()
    this.intervalGenerator = { dropped: 0, late: 0, sent: 0 }
    this.intervalLatency.reset()
    this.intervalSendLag.reset()
    this.intervalStartMs = nowMs
    this.intervalPhase = this.activeSinceMs === undefined ? undefined : this.lastPhase?.name
    return snapshot
  }
}
