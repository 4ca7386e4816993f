/** The reporter interface: each writes its own files into the run directory from the same redacted input. */
import type { RunResult } from '../core/result-types.js'
import type { TimelineLine } from '../rundir/timeline-line.js'
import type { ChartSet } from './charts/build-charts.js'
import type { WrittenPng } from './charts/render-png.js'

/** What every reporter reads; every string in it that came from a service or a scenario is already redacted. */
export interface ReportInput {
  runDir: string
  result: RunResult
  timeline: TimelineLine[]
  skippedTimelineLines: number
  /** Targets in the order their colours were given. */
  targetNames: string[]
  colors: Record<string, string>
  charts: ChartSet
  /** Chart images written by reporters that ran before this one (the PNG reporter), in report order. */
  pngs: readonly WrittenPng[]
  scenarioText?: string
  logFiles: string[]
}

/** What a reporter wrote. */
export interface ReporterOutput {
  /** Absolute paths of the files written. */
  files: string[]
  /** Chart images that reporters after this one may link to. */
  pngs?: WrittenPng[]
}

/** One output of a run (html, png, markdown, junit): registered in reporters.ts, failing on its own. */
export interface Reporter {
  /** A short name for messages: `html`, `png`, `markdown`, `junit`. */
  readonly name: string
  /** What it writes, for messages: `report.html`, `charts/*.png`. */
  readonly writes: string
  /** Writes this reporter's files. A throw (or a rejection) fails this reporter only. */
  readonly write: (input: ReportInput) => ReporterOutput | Promise<ReporterOutput>
}
