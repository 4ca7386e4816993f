/**
 * What a load worker thread records, as events for the main thread: the worker's drivers record into a
 * ForwardingRecorder (and its journeys into a ForwardingJourneyRecorder), which keep nothing and append each call to
 * an EventBuffer: five numbers per event in a Float64Array, strings by index in a small table, handed over without a
 * copy. The main thread replays the events into the target's one real recorder, so one timeline and one result hold
 * every worker's requests, counted as if one thread had sent them.
 */
import { JourneyRecorder } from '../../metrics/journey-recorder.js'
import { TargetRecorder } from '../../metrics/recorder.js'

/** The recorded calls, by code. */
const enum Call { Response = 1, Error, Dropped, Sent, JourneyStarted, JourneyStep, JourneyFailed, JourneyCompleted }

/** Numbers per event: the call and up to four arguments (NaN for an argument left out). */
const width = 5

/** A batch of events as it travels between threads. */
export interface EventBatchData {
  values: Float64Array
  count: number
  strings: string[]
}

/** Events appended as numbers; strings (failure kinds, journey reasons) kept once each in a table. */
export class EventBuffer {
  private values = new Float64Array(width * 1024)
  private count = 0
  private strings: string[] = []
  private readonly stringIndex = new Map<string, number>()

  private text (value: string): number {
    let index = this.stringIndex.get(value)
    if (index === undefined) {
      index = this.strings.length
      this.strings.push(value)
      this.stringIndex.set(value, index)
    }
    return index
  }

  /** Appends one event. */
  push (call: Call, a = Number.NaN, b = Number.NaN, c = Number.NaN, d = Number.NaN): void {
    if ((this.count + 1) * width > this.values.length) {
      const grown = new Float64Array(this.values.length * 2)
      grown.set(this.values)
      this.values = grown
    }
    const at = this.count * width
    this.values[at] = call
    this.values[at + 1] = a
    this.values[at + 2] = b
    this.values[at + 3] = c
    this.values[at + 4] = d
    this.count++
  }

  /** A string argument, as the number that stands for it in this batch. */
  string (value: string | undefined): number {
    return value === undefined ? Number.NaN : this.text(value)
  }

  /** Everything since the last take, to transfer; the buffer starts afresh. */
  take (): EventBatchData {
    const batch = { values: this.values.slice(0, this.count * width), count: this.count, strings: this.strings }
    this.count = 0
    this.strings = []
    this.stringIndex.clear()
    return batch
  }
}

/** The target recorder of a worker: its calls become events; phases and slices are kept to number slices as the main thread does. */
export class ForwardingRecorder extends TargetRecorder {
  constructor (target: string, startMs: number, private readonly events: EventBuffer) {
    super(target, startMs)
  }

  override response (latencyUs: number, status: number, failure?: string, sentInSlice?: number): void {
    this.events.push(Call.Response, latencyUs, status, this.events.string(failure), sentInSlice)
  }

  override error (kind: string, latencyUs?: number, sentInSlice?: number): void {
    this.events.push(Call.Error, this.events.string(kind), latencyUs, sentInSlice)
  }

  override dropped (): void {
    this.events.push(Call.Dropped)
  }

  override sent (lagUs: number): void {
    this.events.push(Call.Sent, lagUs)
  }
}

/** The journey recorder of a worker: its calls become events. */
export class ForwardingJourneyRecorder extends JourneyRecorder {
  constructor (journeys: ReadonlyArray<{ name: string, steps: readonly string[] }>, private readonly events: EventBuffer) {
    super(journeys)
  }

  override started (journey: number): void {
    this.events.push(Call.JourneyStarted, journey)
  }

  override step (journey: number, step: number, latencyUs: number | undefined, failed: boolean): void {
    this.events.push(Call.JourneyStep, journey, step, latencyUs, failed ? 1 : 0)
  }

  override failed (journey: number, reason: string): void {
    this.events.push(Call.JourneyFailed, journey, this.events.string(reason))
  }

  override completed (journey: number): void {
    this.events.push(Call.JourneyCompleted, journey)
  }
}

const optional = (value: number | undefined): number | undefined => value === undefined || Number.isNaN(value) ? undefined : value

/** Replays a worker's events into the main thread's recorders. */
export function replayEvents (batch: EventBatchData, recorder: TargetRecorder, journeys: JourneyRecorder | undefined): void {
  const { values, count, strings } = batch
  const text = (value: number | undefined): string | undefined => optional(value) === undefined ? undefined : strings[value as number]
  for (let i = 0; i < count; i++) {
    const at = i * width
    const a = values[at + 1] as number
    const b = values[at + 2] as number
    const c = values[at + 3]
    const d = values[at + 4]
    switch (values[at] as Call) {
      case Call.Response: recorder.response(a, b, text(c), optional(d)); break
      case Call.Error: recorder.error(text(a) ?? 'error', optional(b), optional(c)); break
      case Call.Dropped: recorder.dropped(); break
      case Call.Sent: recorder.sent(a); break
      case Call.JourneyStarted: journeys?.started(a); break
      case Call.JourneyStep: journeys?.step(a, b, optional(c), d === 1); break
      case Call.JourneyFailed: journeys?.failed(a, text(b) ?? 'failed'); break
      case Call.JourneyCompleted: journeys?.completed(a); break
    }
  }
}
