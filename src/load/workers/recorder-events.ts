/**
 * What a load worker thread records, as events for the main thread: the worker's drivers record into a
 * ForwardingRecorder (and its journeys into a ForwardingJourneyRecorder), which keep nothing and batch each call;
 * the main thread replays the batches into the target's one real recorder, so one timeline and one result hold
 * every worker's requests, counted as if one thread had sent them.
 */
import { JourneyRecorder } from '../../metrics/journey-recorder.js'
import { TargetRecorder } from '../../metrics/recorder.js'

/** One recorded call: its method and arguments (undefined arguments sent as null). */
export type RecorderEvent =
  | ['response', number, number, string | null, number | null]
  | ['error', string, number | null, number | null]
  | ['dropped']
  | ['sent', number]
  | ['journeyStarted', number]
  | ['journeyStep', number, number, number | null, boolean]
  | ['journeyFailed', number, string]
  | ['journeyCompleted', number]

/** The target recorder of a worker: its calls become events; phases and slices are kept to number slices as the main thread does. */
export class ForwardingRecorder extends TargetRecorder {
  constructor (target: string, startMs: number, private readonly events: RecorderEvent[]) {
    super(target, startMs)
  }

  override response (latencyUs: number, status: number, failure?: string, sentInSlice?: number): void {
    this.events.push(['response', latencyUs, status, failure ?? null, sentInSlice ?? null])
  }

  override error (kind: string, latencyUs?: number, sentInSlice?: number): void {
    this.events.push(['error', kind, latencyUs ?? null, sentInSlice ?? null])
  }

  override dropped (): void {
    this.events.push(['dropped'])
  }

  override sent (lagUs: number): void {
    this.events.push(['sent', lagUs])
  }
}

/** The journey recorder of a worker: its calls become events. */
export class ForwardingJourneyRecorder extends JourneyRecorder {
  constructor (journeys: ReadonlyArray<{ name: string, steps: readonly string[] }>, private readonly events: RecorderEvent[]) {
    super(journeys)
  }

  override started (journey: number): void {
    this.events.push(['journeyStarted', journey])
  }

  override step (journey: number, step: number, latencyUs: number | undefined, failed: boolean): void {
    this.events.push(['journeyStep', journey, step, latencyUs ?? null, failed])
  }

  override failed (journey: number, reason: string): void {
    this.events.push(['journeyFailed', journey, reason])
  }

  override completed (journey: number): void {
    this.events.push(['journeyCompleted', journey])
  }
}

/** Replays a worker's events into the main thread's recorders. */
export function replayEvents (events: readonly RecorderEvent[], recorder: TargetRecorder, journeys: JourneyRecorder | undefined): void {
  for (const event of events) {
    switch (event[0]) {
      case 'response': recorder.response(event[1], event[2], event[3] ?? undefined, event[4] ?? undefined); break
      case 'error': recorder.error(event[1], event[2] ?? undefined, event[3] ?? undefined); break
      case 'dropped': recorder.dropped(); break
      case 'sent': recorder.sent(event[1]); break
      case 'journeyStarted': journeys?.started(event[1]); break
      case 'journeyStep': journeys?.step(event[1], event[2], event[3] ?? undefined, event[4]); break
      case 'journeyFailed': journeys?.failed(event[1], event[2]); break
      case 'journeyCompleted': journeys?.completed(event[1]); break
    }
  }
}
