/** Capacity search results: each target's highest rate that met the SLO, and the curves it was found on. */
import { formatMs, formatPercent, formatRate } from '../format.js'
import type { Section } from '../report-model.js'
import { embedChart, type ReportContext } from './context.js'

const limitedByText: Record<string, string> = {
  latency: 'latency passed its limit',
  errors: 'errors passed their limit',
  generator: 'the load generator could not go faster (the figure is a lower bound)',
  max: 'the search reached its configured maximum'
}

/** The capacity section, or undefined when no target has a capacity search. */
export function capacitySection (context: ReportContext): Section | undefined {
  const entries = Object.entries(context.result.targets ?? {}).filter(([, target]) => target.capacity !== undefined)
  if (entries.length === 0) return undefined
  return {
    id: 'capacity',
    title: 'Capacity',
    blocks: [
      {
        kind: 'table',
        columns: [{ label: 'target' }, { label: 'max sustainable rate', num: true }, { label: 'knee between', num: true }, { label: 'limited by' }, { label: 'ceiling (closed-model holds)', num: true }, { label: 'steps', num: true }, { label: 'p99 at max', num: true }, { label: 'errors at max', num: true }],
        rows: entries.map(([name, target]) => {
          const capacity = target.capacity!
          // the search's steps only: a ceiling hold's rate is what it answered, not a rate offered
          const searched = (capacity.curve ?? []).filter((step) => step.overload !== true)
          const atMax = searched.filter((step) => step.passed).sort((a, b) => b.rate - a.rate)[0]
          return [
            { text: name, swatch: context.colors[name] ?? '#6e7781' },
            { text: formatRate(capacity.maxRps), num: true },
            { text: Array.isArray(capacity.bracket) && capacity.bracket.length === 2 ? `${formatRate(capacity.bracket[0]).replace(' req/s', '')} – ${formatRate(capacity.bracket[1])}` : '–', num: true },
            { text: limitedByText[capacity.limitedBy] ?? capacity.limitedBy },
            { text: capacity.ceiling === undefined ? '–' : `${formatRate(capacity.ceiling.rps)} (95% CI ${formatRate(capacity.ceiling.ci[0]).replace(' req/s', '')} – ${formatRate(capacity.ceiling.ci[1])}, ${capacity.ceiling.holds} holds)`, num: true },
            { text: String(searched.length), num: true },
            { text: atMax === undefined ? '–' : formatMs(atMax.p99Ms), num: true },
            { text: atMax === undefined ? '–' : formatPercent(atMax.errorRate), num: true }
          ]
        })
      },
      ...(context.charts.capacity.length === 0 ? [] : [{ kind: 'charts' as const, charts: context.charts.capacity.map((spec) => embedChart(spec, context.pngs)) }])
    ]
  }
}
