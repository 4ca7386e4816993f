import type { JourneySummary } from '../core/result-types.js'
import { createHistogram, recordUs, summarizeMs, type Histogram } from './histogram.js'

/** Distinct failure reasons kept per journey. */
const maxReasons = 50

interface StepFigures {
  name: string
  requests: number
  failed: number
  latency: Histogram
}

interface JourneyFigures {
  name: string
  iterations: number
  completed: number
  failed: number
  failures: Map<string, number>
  steps: StepFigures[]
}

/** Per-journey, per-step counts and latency histograms of one target. Memory stays bounded: one histogram per step. */
export class JourneyRecorder {
  private readonly journeys: JourneyFigures[]

  /** `journeys`: each journey's name and the names of its request steps, in order. */
  constructor (journeys: ReadonlyArray<{ name: string, steps: readonly string[] }>) {
    this.journeys = journeys.map((journey) => ({
      name: journey.name,
      iterations: 0,
      completed: 0,
      failed: 0,
      failures: new Map(),
      steps: journey.steps.map((name) => ({ name, requests: 0, failed: 0, latency: createHistogram() }))
    }))
  }

  /** An iteration of journey `journey` (its index) started. */
  started (journey: number): void {
    const figures = this.journeys[journey]
    if (figures !== undefined) figures.iterations++
  }

  /** Step `step` of `journey` ended; `latencyUs` is undefined when no response and no timeout gave a time. */
  step (journey: number, step: number, latencyUs: number | undefined, failed: boolean): void {
    const figures = this.journeys[journey]?.steps[step]
    if (figures === undefined) return
    figures.requests++
    if (failed) figures.failed++
    if (latencyUs !== undefined) recordUs(figures.latency, latencyUs)
  }

  /** Every step of an iteration passed. */
  completed (journey: number): void {
    const figures = this.journeys[journey]
    if (figures !== undefined) figures.completed++
  }

  /** An iteration ended on a failed step; `reason` reads `<step>: <why>`. */
  failed (journey: number, reason: string): void {
    const figures = this.journeys[journey]
    if (figures === undefined) return
    figures.failed++
    // reasons quoting response values could grow without bound; the rest are counted together
    const key = figures.failures.has(reason) || figures.failures.size < maxReasons ? reason : 'other reasons'
    figures.failures.set(key, (figures.failures.get(key) ?? 0) + 1)
  }

  /** result.json `journeys[]`. */
  summary (): JourneySummary[] {
    return this.journeys.map((journey) => ({
      name: journey.name,
      iterations: journey.iterations,
      completed: journey.completed,
      failed: journey.failed,
      failures: Object.fromEntries(journey.failures),
      steps: journey.steps.map((step) => ({ name: step.name, requests: step.requests, failed: step.failed, latencyMs: summarizeMs(step.latency) }))
    }))
  }
}
