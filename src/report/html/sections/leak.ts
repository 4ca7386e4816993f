/** The leak panel of each target: verdict, slope with its interval, and the memory series with the fitted trend. */
import { formatDuration, formatGrowth } from '../format.js'
import type { Block, Card, Section } from '../report-model.js'
import { embedChart, toneOf, type ReportContext } from './context.js'

const pText = (p: number): string => !Number.isFinite(p) ? '–' : p < 1e-6 ? '< 0.000001' : String(Number(p.toPrecision(2)))

/** The leak section, or undefined when no target has a leak analysis. */
export function leakSection (context: ReportContext): Section | undefined {
  const cards: Card[] = []
  for (const [name, target] of Object.entries(context.result.targets ?? {})) {
    const leak = target.leak
    if (leak === undefined) continue
    const [low, high] = leak.slopeCi ?? [NaN, NaN]
    const blocks: Block[] = [
      {
        kind: 'facts',
        items: [
          { label: 'verdict', value: leak.verdict, tone: toneOf(leak.verdict) },
          { label: 'growth', value: formatGrowth(leak.slopeBytesPerSec) },
          { label: '95% CI', value: `${formatGrowth(low)} to ${formatGrowth(high)}` },
          { label: 'trend p-value', value: pText(leak.pValue) },
          { label: 'memory analysed', value: leak.signal === 'heap' ? 'JavaScript heap' : 'RSS of the process tree' },
          ...(leak.timeToLimitSec === undefined ? [] : [{ label: 'time to memory limit', value: formatDuration(leak.timeToLimitSec), tone: 'fail' as const }])
        ]
      },
      { kind: 'text', text: leak.reason, tone: toneOf(leak.verdict) }
    ]
    const chart = context.charts.leak.get(name)
    if (chart !== undefined) blocks.push({ kind: 'charts', charts: [embedChart(chart, context.pngs)] })
    cards.push({ title: name, swatch: context.colors[name] ?? '#6e7781', badge: { text: leak.verdict, tone: toneOf(leak.verdict) }, blocks })
  }
  if (cards.length === 0) return undefined
  return { id: 'leak', title: 'Memory leaks', blocks: [{ kind: 'cards', cards }] }
}
