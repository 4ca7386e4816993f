/** Charts over time, with the phases shaded and every target overlaid. */
import type { Section } from '../report-model.js'
import { embedChart, type ReportContext } from './context.js'

/**
 * How many sampling intervals a point stands for: 1, or more when a long run's timeline was drawn coarser
 * (coarse-timeline.ts: the proxy's reports), read from the points' median length against the sampling interval.
 */
export function intervalsPerPoint (timeline: ReadonlyArray<{ intervalMs: number }>, samplingMs: number): number {
  const lengths = timeline.map((line) => line.intervalMs).filter((ms) => Number.isFinite(ms) && ms > 0).sort((a, b) => a - b)
  const median = lengths[Math.floor(lengths.length / 2)]
  if (median === undefined || !(samplingMs > 0)) return 1
  // joined points hold 2, 4, 8 ... intervals; a late timer stretches one interval by less than that
  const ratio = median / samplingMs
  return ratio < 1.9 ? 1 : Math.round(ratio)
}

function pointText (intervals: number): string {
  if (intervals <= 1) return 'One point per target per sampling interval'
  return `One point per target per ${intervals} sampling intervals (a long run: neighbouring intervals joined, their counts summed and latency histograms merged)`
}

/** The time-series section, or a note when the timeline is empty. */
export function chartsSection (context: ReportContext): Section {
  const skipped = context.skippedTimelineLines > 0 ? ` ${context.skippedTimelineLines} unreadable timeline line(s) were left out (a write cut short).` : ''
  if (context.charts.time.length === 0 || context.timeline.length === 0) {
    return { id: 'charts', title: 'Over time', blocks: [{ kind: 'text', text: `timeline.ndjson has no intervals to draw.${skipped}`, tone: 'warn' }] }
  }
  return {
    id: 'charts',
    title: 'Over time',
    blocks: [
      { kind: 'text', text: `${pointText(intervalsPerPoint(context.timeline, context.result.settings?.intervalMs ?? 0))}; shaded bands are the load phases, dashed lines are events.${skipped}` },
      { kind: 'charts', charts: context.charts.time.map((spec) => embedChart(spec, context.pngs)) }
    ]
  }
}
