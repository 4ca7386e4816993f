/** Journeys: per target, how many iterations completed, why the others failed, and each step's latency. */
import type { JourneySummary } from '../../../core/result-types.js'
import { formatCount, formatMs, formatPercent } from '../format.js'
import type { Block, Cell, Section } from '../report-model.js'
import type { ReportContext } from './context.js'

const share = (part: number, whole: number): number => whole === 0 ? 0 : part / whole

function journeyRow (target: string, color: string, journey: JourneySummary): Cell[] {
  const failedShare = share(journey.failed, journey.iterations)
  const unfinished = journey.iterations - journey.completed - journey.failed
  return [
    { text: target, swatch: color },
    { text: journey.name },
    { text: formatCount(journey.iterations), num: true },
    { text: formatCount(journey.completed), num: true },
    { text: `${formatCount(journey.failed)} (${formatPercent(failedShare)})`, num: true, ...(journey.failed > 0 ? { textTone: 'fail' as const } : {}) },
    { text: formatCount(unfinished), num: true },
    { text: Object.entries(journey.failures ?? {}).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([why, n]) => `${why} (${formatCount(n)})`).join('; ') || '–' }
  ]
}

function stepRows (target: string, color: string, journey: JourneySummary): Cell[][] {
  return journey.steps.map((step, index) => [
    { text: target, swatch: color },
    { text: `${journey.name} ${index + 1}. ${step.name}` },
    { text: formatCount(step.requests), num: true },
    { text: formatPercent(share(step.failed, step.requests)), num: true, ...(step.failed > 0 ? { textTone: 'fail' as const } : {}) },
    { text: formatMs(step.latencyMs.p50), num: true },
    { text: formatMs(step.latencyMs.p95), num: true },
    { text: formatMs(step.latencyMs.p99), num: true },
    { text: formatMs(step.latencyMs.max), num: true }
  ])
}

/** The journeys section, or undefined when no target ran a journey. */
export function journeysSection (context: ReportContext): Section | undefined {
  const entries = Object.entries(context.result.targets ?? {}).flatMap(([name, target]) => (target.journeys ?? []).map((journey) => ({ name, journey })))
  if (entries.length === 0) return undefined
  const color = (name: string): string => context.colors[name] ?? '#6e7781'
  const blocks: Block[] = [
    {
      kind: 'table',
      title: 'Iterations',
      columns: [{ label: 'target' }, { label: 'journey' }, { label: 'started', num: true }, { label: 'completed', num: true }, { label: 'failed', num: true }, { label: 'cut off', num: true }, { label: 'why they failed' }],
      rows: entries.map(({ name, journey }) => journeyRow(name, color(name), journey)),
      note: 'An iteration fails at its first failed step; iterations still running when their phase ended are cut off, neither completed nor failed.'
    },
    {
      kind: 'table',
      title: 'Steps',
      columns: [{ label: 'target' }, { label: 'step' }, { label: 'requests', num: true }, { label: 'errors', num: true }, { label: 'p50', num: true }, { label: 'p95', num: true }, { label: 'p99', num: true }, { label: 'max', num: true }],
      rows: entries.flatMap(({ name, journey }) => stepRows(name, color(name), journey)),
      note: 'Step latency counts from when the step was meant to start (the arrival for the first step, the previous step\'s end plus its think time after), so a slow step delays the ones after it without hiding.'
    }
  ]
  return { id: 'journeys', title: 'Journeys', blocks }
}
