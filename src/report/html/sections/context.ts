/** What every section builder reads: the redacted run, its charts and the files around it. */
import type { RunResult } from '../../../core/result-types.js'
import { chartConfig } from '../../charts/chart-config.js'
import type { ChartSet } from '../../charts/build-charts.js'
import type { ChartSpec } from '../../charts/chart-spec.js'
import type { TimelineLine } from '../../timeline.js'
import type { EmbeddedChart, Tone } from '../report-model.js'

/** Inputs of the section builders; every string in them is already redacted. */
export interface ReportContext {
  result: RunResult
  timeline: TimelineLine[]
  skippedTimelineLines: number
  targetNames: string[]
  colors: Record<string, string>
  charts: ChartSet
  /** Chart id → PNG path relative to the run directory. */
  pngs: Map<string, string>
  scenarioText?: string
  logFiles: string[]
}

/** A chart spec as the page embeds it. */
export function embedChart (spec: ChartSpec, pngs: Map<string, string>): EmbeddedChart {
  const png = pngs.get(spec.id)
  return {
    id: spec.id,
    title: spec.title,
    ...(spec.note === undefined ? {} : { note: spec.note }),
    config: chartConfig(spec, false),
    points: spec.lines.map((line) => line.points),
    ...(png === undefined ? {} : { png })
  }
}

/** The tone of a status word (check, comparison, leak and shadow verdicts). */
export function toneOf (status: string): Tone {
  switch (status) {
    case 'pass': case 'stable': case 'completed': return 'pass'
    case 'fail': case 'leak': case 'real': case 'failed': return 'fail'
    case 'warn': case 'saturating': case 'interrupted': return 'warn'
    case 'inconclusive': return 'inconclusive'
    default: return 'neutral'
  }
}

/** Ordering of statuses for "what failed comes first". */
export const statusRank: Record<string, number> = { fail: 0, leak: 0, real: 0, inconclusive: 1, warn: 2, saturating: 2, pass: 3, stable: 3, noise: 4, ignored: 5 }

/** A safe relative link into the run directory: each path segment percent-encoded; undefined for absolute paths, `..` and schemes. */
export function runDirHref (path: string): string | undefined {
  if (/^\s*([\\/]|[a-zA-Z]:[\\/])/.test(path)) return undefined
  const segments = path.split(/[\\/]+/).filter((segment) => segment !== '' && segment !== '.')
  if (segments.length === 0 || segments.includes('..')) return undefined
  return segments.map((segment) => encodeURIComponent(segment)).join('/')
}
