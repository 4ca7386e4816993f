import type { IntervalSnapshot } from '../metrics/recorder.js'

/** What the run tells whoever watches it. */
export interface ProgressSink {
  targetStarted: (target: string, totalMs: number) => void
  phaseStarted: (target: string, phase: string, description: string) => void
  interval: (target: string, snapshot: IntervalSnapshot, elapsedMs: number, totalMs: number) => void
  message: (text: string) => void
  finished: () => void
}

/** A sink that shows nothing (tests, --quiet). */
export const silentProgress: ProgressSink = {
  targetStarted: () => {},
  phaseStarted: () => {},
  interval: () => {},
  message: () => {},
  finished: () => {}
}
