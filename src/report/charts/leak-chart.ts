/** The leak panel of one target: the memory series analysed, the fitted trend and its confidence fan. */
import type { LeakSummary } from '../../core/result-types.js'
import type { ChartSpec, LineSpec, TimeAxis } from './chart-spec.js'
import { colorOfStatus } from './palette.js'
import { timeLine } from './time-charts.js'
import type { TargetSeries } from './timeline-series.js'

const perMinMB = (bytesPerSec: number): string => `${((bytesPerSec * 60) / 1e6).toFixed(2)} MB/min`

/** The trend's end: `fit.t1Sec` when the analysis gave it, else the end of the series. */
function fitEndSec (leak: LeakSummary, series: TargetSeries): number {
  const t1 = (leak.fit as { t1Sec?: unknown }).t1Sec
  return typeof t1 === 'number' && Number.isFinite(t1) ? t1 : series.tSec[series.tSec.length - 1] ?? leak.fit.t0Sec
}

function straight (label: string, color: string, fromSec: number, toSec: number, at: (tSec: number) => number, axis: TimeAxis, style: Partial<LineSpec>): LineSpec {
  return { label, color, points: [fromSec / axis.divisor, at(fromSec) / 1e6, toSec / axis.divisor, at(toSec) / 1e6], width: 2, ...style }
}

/** One chart per target with a leak analysis: memory (MB) over time, trend line coloured by verdict, dashed 95% CI of the slope. */
export function leakChart (leak: LeakSummary, series: TargetSeries, color: string, axis: TimeAxis, bands: ChartSpec['bands']): ChartSpec {
  const signal = leak.signal === 'heap' && series.hasHeap ? 'heap' : 'rss'
  const values = signal === 'heap' ? series.heapMB : series.rssMB
  const signalName = signal === 'heap' ? 'heap' : 'RSS'
  // the memory series is drawn first (order 1), the trend and its interval over it
  const lines: LineSpec[] = [timeLine(series.tSec, values, axis, { label: `${series.target} ${signalName}`, color, width: 1.4, spanGaps: true, order: 1 })]
  const t0 = leak.fit?.t0Sec
  const intercept = leak.fit?.interceptBytes
  if (typeof t0 === 'number' && typeof intercept === 'number' && Number.isFinite(t0) && Number.isFinite(intercept) && Number.isFinite(leak.slopeBytesPerSec)) {
    const t1 = fitEndSec(leak, series)
    const verdictColor = colorOfStatus(leak.verdict)
    lines.push(straight(`trend ${perMinMB(leak.slopeBytesPerSec)}`, verdictColor, t0, t1, (t) => intercept + leak.slopeBytesPerSec * (t - t0), axis, {}))
    const [low, high] = leak.slopeCi ?? [NaN, NaN]
    if (Number.isFinite(low) && Number.isFinite(high)) {
      lines.push(straight('95% CI of the slope', verdictColor, t0, t1, (t) => intercept + low * (t - t0), axis, { width: 1, dash: [5, 4] }))
      lines.push(straight('95% CI high', verdictColor, t0, t1, (t) => intercept + high * (t - t0), axis, { width: 1, dash: [5, 4], hideInLegend: true }))
    }
  }
  return {
    id: `leak-${series.target}`,
    title: `${series.target}: memory trend — ${leak.verdict}`,
    xLabel: axis.label,
    yLabel: 'MB',
    lines,
    bands,
    markers: [],
    xMin: 0,
    png: true,
    note: `slope ${perMinMB(leak.slopeBytesPerSec)} (${signalName})`
  }
}
