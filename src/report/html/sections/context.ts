/** What every section builder reads: the redacted run, its charts and the files around it. */
import { chartConfig } from '../../charts/chart-config.js'
import type { ChartSpec } from '../../charts/chart-spec.js'
import type { WrittenPng } from '../../charts/render-png.js'
import type { ReportInput } from '../../reporter.js'
import type { EmbeddedChart, Tone } from '../report-model.js'

/** Inputs of the section builders: what every reporter reads (strings already redacted). */
export type ReportContext = ReportInput

/** A chart spec as the page embeds it. */
export function embedChart (spec: ChartSpec, pngs: readonly WrittenPng[]): EmbeddedChart {
  const written = pngs.find((candidate) => candidate.id === spec.id)
  const png = written === undefined ? undefined : `charts/${written.file}`
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
