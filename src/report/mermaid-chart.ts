/**
 * A chart as a Mermaid `xychart-beta` block for summary.md: GitHub and GitLab draw it in a job summary or a pull
 * request, where the PNGs' relative links show nothing. Kept small: each line resampled to at most 24 points (the
 * mean of what falls in each stretch of the x axis; a stretch with none keeps the value before it, as an interleaved
 * target's idle slices do), one line per colour (the first: p99 of the latency chart, RSS of the memory chart),
 * the colours named in the title since xychart has no legend.
 */
import type { ChartSpec, LineSpec } from './charts/chart-spec.js'
import { colorNames } from './charts/palette.js'

/** Most points per line. */
export const mermaidPoints = 24

/** Most lines per chart (the trend lines of a leak chart are left out). */
const maxLines = 4

const round = (value: number): number => {
  const magnitude = Math.abs(value)
  const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3
  return Number(value.toFixed(digits))
}

/** Text inside a Mermaid string: no quotes, no line breaks. */
const quoted = (text: string): string => `"${text.replace(/["`\\\r\n]+/g, ' ').replace(/[<>]/g, '').trim()}"`

/** `points` (flat x, y pairs; null y = a gap) as `count` values over [from, to]; undefined when there are none. */
export function resample (points: ReadonlyArray<number | null>, from: number, to: number, count: number): number[] | undefined {
  const sums = new Array<number>(count).fill(0)
  const counts = new Array<number>(count).fill(0)
  const width = (to - from) / count
  for (let i = 0; i + 1 < points.length; i += 2) {
    const x = points[i]
    const y = points[i + 1]
    if (x === null || x === undefined || y === null || y === undefined || !Number.isFinite(y)) continue
    const bucket = width <= 0 ? 0 : Math.min(count - 1, Math.max(0, Math.floor((x - from) / width)))
    sums[bucket] = (sums[bucket] as number) + y
    counts[bucket] = (counts[bucket] as number) + 1
  }
  const first = counts.findIndex((n) => n > 0)
  if (first < 0) return undefined
  const values: number[] = []
  let last = (sums[first] as number) / (counts[first] as number)
  for (let b = 0; b < count; b++) {
    if ((counts[b] as number) > 0) last = (sums[b] as number) / (counts[b] as number)
    values.push(round(last))
  }
  return values
}

/** The first line of each colour: a target's main line, without its dashed companions. */
function firstOfEachColour (lines: readonly LineSpec[]): LineSpec[] {
  const seen = new Set<string>()
  return lines.filter((line) => {
    if (seen.has(line.color)) return false
    seen.add(line.color)
    return true
  })
}

/** The Mermaid block of `spec`, or undefined when it has nothing to draw. */
export function mermaidChart (spec: ChartSpec): string | undefined {
  const lines = firstOfEachColour(spec.lines.filter((line) => line.hideInLegend !== true)).slice(0, maxLines)
  const xs = lines.flatMap((line) => line.points.filter((_, i) => i % 2 === 0)).filter((x): x is number => typeof x === 'number' && Number.isFinite(x))
  if (xs.length === 0) return undefined
  const from = spec.xMin ?? Math.min(...xs)
  const to = spec.xMax ?? Math.max(...xs)
  const count = Math.min(mermaidPoints, Math.max(2, new Set(xs).size))
  const series = lines.flatMap((line) => {
    const values = resample(line.points, from, to, count)
    return values === undefined ? [] : [{ label: line.label, color: line.color, values }]
  })
  if (series.length === 0) return undefined
  const all = series.flatMap((s) => s.values)
  const top = Math.max(...all)
  const bottom = Math.min(spec.yMin ?? Math.min(...all), ...all)
  const yMax = top > bottom ? round(top * 1.05) : round(bottom + 1)
  // each stretch is labelled by its middle, in whole units when stretches are a unit or longer
  const step = (to - from) / count
  const ticks = Array.from({ length: count }, (_, b) => Number((from + step * (b + 0.5)).toFixed(step >= 1 ? 0 : step >= 0.1 ? 1 : 2)))
  const names = series.length === 1 ? '' : ` (${series.map((s) => `${s.label} ${colorNames[s.color.toLowerCase()] ?? s.color}`).join(', ')})`
  return [
    '```mermaid',
    `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "${series.map((s) => s.color).join(', ')}"}}}}%%`,
    'xychart-beta',
    `  title ${quoted(`${spec.title}${names}`)}`,
    `  x-axis ${quoted(spec.xLabel)} [${ticks.join(', ')}]`,
    `  y-axis ${quoted(spec.yLabel)} ${round(bottom)} --> ${yMax}`,
    ...series.map((s) => `  line [${s.values.join(', ')}]`),
    '```'
  ].join('\n')
}
