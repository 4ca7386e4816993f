/** Charts over time, with the phases shaded and every target overlaid. */
import type { Section } from '../report-model.js'
import { embedChart, type ReportContext } from './context.js'

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
      { kind: 'text', text: `One point per target per sampling interval; shaded bands are the load phases, dashed lines are events.${skipped}` },
      { kind: 'charts', charts: context.charts.time.map((spec) => embedChart(spec, context.pngs)) }
    ]
  }
}
