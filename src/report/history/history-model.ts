/** history.html and history.md as a report model: the steps first, then the trend charts, then every run. */

import type { History, HistoryChange, HistoryMetric } from '../../analysis/history/history-series.js'
import { historyMetrics } from '../../analysis/history/history-series.js'
import type { HistorySources } from '../../baseline/history-sources.js'
import { toolVersion } from '../../core/version.js'
import type { ChartSpec } from '../charts/chart-spec.js'
import { formatEffect, formatNumber, formatTimestamp } from '../html/format.js'
import type { Cell, ReportModel, Section, Tone } from '../html/report-model.js'
import { embedChart } from '../html/sections/context.js'

const metricOf = (id: HistoryMetric['id']): HistoryMetric | undefined => historyMetrics.find((metric) => metric.id === id)
const shortCommit = (commit: string | undefined): string => commit === undefined ? '–' : commit.slice(0, 10)
const withUnit = (value: number, unit: string): string => Number.isFinite(value) ? `${formatNumber(value)} ${unit}` : '–'

/** `new p99 latency +48.0% (12.1 → 17.9 ms) from run demo-20261207T… (commit 1a2b3c4d5e)`. */
export function describeChange (change: HistoryChange, history: History): string {
  const metric = metricOf(change.metric)
  const run = history.runs[change.index]
  const commit = run?.snapshot.environment.commit
  return `${change.target} ${metric?.label ?? change.metric} ${formatEffect('ratio', 1 + change.relative)} (${withUnit(change.before, metric?.unit ?? '')} → ${withUnit(change.after, metric?.unit ?? '')}) from run ${change.run}${commit === undefined ? '' : ` (commit ${shortCommit(commit)})`}`
}

/** The page's verdict: a worse step still standing at the newest run fails; too few runs to see a step is inconclusive. */
function historyVerdict (history: History): { verdict: ReportModel['verdict'], verdictText: string, headline: string } {
  if (history.standing.length > 0) {
    return { verdict: 'fail', verdictText: 'REGRESSED', headline: `${history.standing.length === 1 ? 'A step for the worse stands' : `${history.standing.length} steps for the worse stand`}: ${history.standing.map((change) => describeChange(change, history)).join('; ')}` }
  }
  if (history.runs.length < 2 * history.minRuns) {
    return { verdict: 'inconclusive', verdictText: 'TOO FEW RUNS', headline: `${history.runs.length} run(s): a step needs ${history.minRuns} runs on each side of it to be told from noise` }
  }
  const better = history.changes.filter((change) => change.direction === 'better').length
  return { verdict: 'pass', verdictText: 'STEADY', headline: `No step for the worse across ${history.runs.length} runs${better > 0 ? ` (${better} for the better)` : ''}` }
}

function stepsSection (history: History, colors: Readonly<Record<string, string>>): Section {
  const explain = `A step is a change between runs larger than the run-to-run noise (the runs' own scatter on either side) and significant in Welch's t test at 1% after a Bonferroni correction over the splits tried (binary segmentation, as Hunter and MongoDB find performance changes). It is confirmed once ${history.minRuns} runs show it.`
  if (history.changes.length === 0) return { id: 'steps', title: 'Steps between runs', blocks: [{ kind: 'text', text: `No step found across ${history.runs.length} runs.`, tone: 'pass' }, { kind: 'text', text: explain }] }
  const rows: Cell[][] = history.changes.map((change) => {
    const metric = metricOf(change.metric)
    const run = history.runs[change.index]
    const tone: Tone = change.direction === 'worse' ? 'fail' : 'pass'
    return [
      { text: change.target, swatch: colors[change.target] ?? '#6e7781' },
      { text: metric?.label ?? change.metric },
      { text: `run ${change.index + 1}: ${change.run}` },
      { text: shortCommit(run?.snapshot.environment.commit), mono: true },
      { text: withUnit(change.before, metric?.unit ?? ''), num: true },
      { text: withUnit(change.after, metric?.unit ?? ''), num: true },
      { text: formatEffect('ratio', 1 + change.relative), num: true },
      { text: Number.isFinite(change.noiseMultiple) ? `${change.noiseMultiple.toFixed(1)}×` : '∞', num: true },
      { text: Math.min(1, change.pValue * change.splitsTried).toPrecision(2), num: true },
      { text: history.standing.includes(change) ? 'worse, stands' : change.direction, tone }
    ]
  })
  return {
    id: 'steps',
    title: 'Steps between runs',
    blocks: [
      { kind: 'table', columns: [{ label: 'target' }, { label: 'figure' }, { label: 'first run showing it' }, { label: 'commit' }, { label: 'before', num: true }, { label: 'after', num: true }, { label: 'change', num: true }, { label: 'noise ×', num: true }, { label: 'p (corrected)', num: true }, { label: 'direction' }], rows },
      { kind: 'text', text: explain }
    ]
  }
}

function runsSection (history: History): Section {
  const shown = historyMetrics.filter((metric) => metric.id === 'p50' || metric.id === 'p99' || metric.id === 'throughput')
  const columns = [{ label: '#', num: true }, { label: 'run' }, { label: 'started (UTC)' }, { label: 'commit' }, { label: 'verdict' }, { label: 'baseline' },
    ...history.targets.flatMap((target) => shown.map((metric) => ({ label: `${target} ${metric.id} (${metric.unit})`, num: true })))]
  const rows: Cell[][] = history.runs.map((run, index) => [
    { text: String(index + 1), num: true },
    { text: run.label, mono: true },
    // minutes are enough to tell CI runs apart, and keep the wide table narrow
    { text: Number.isNaN(Date.parse(run.snapshot.source.startedAt)) ? run.snapshot.source.startedAt : new Date(run.snapshot.source.startedAt).toISOString().slice(0, 16).replace('T', ' ') },
    { text: shortCommit(run.snapshot.environment.commit), mono: true },
    { text: run.snapshot.source.verdict, tone: run.snapshot.source.verdict === 'pass' ? 'pass' : run.snapshot.source.verdict === 'fail' ? 'fail' : 'inconclusive' },
    { text: run.accepted ? 'accepted' : run.source === 'baseline' ? 'stored' : '' },
    ...history.targets.flatMap((target) => shown.map((metric): Cell => {
      const figures = run.snapshot.targets[target]
      return { text: figures === undefined ? '–' : formatNumber(metric.of(figures)), num: true }
    }))
  ])
  return { id: 'runs', title: 'Runs', blocks: [{ kind: 'table', columns, rows, note: 'Oldest first. "accepted" marks the baseline later runs are compared with; "stored" a baseline file without its run directory here.' }] }
}

/** The history page: verdict and steps, the trend charts, the runs, and what was passed over. */
export function buildHistoryModel (history: History, sources: Pick<HistorySources, 'skipped'>, charts: readonly ChartSpec[], colors: Readonly<Record<string, string>>): ReportModel {
  const { verdict, verdictText, headline } = historyVerdict(history)
  const first = history.runs[0]
  const last = history.runs.at(-1)
  const accepted = history.runs.find((run) => run.accepted)
  const sections: Section[] = [
    stepsSection(history, colors),
    { id: 'trends', title: 'Trends', blocks: charts.length === 0 ? [{ kind: 'text', text: 'No figure to draw.', tone: 'warn' }] : [{ kind: 'charts', charts: charts.map((spec) => embedChart(spec, [])) }] },
    runsSection(history)
  ]
  if (sources.skipped.length > 0) {
    sections.push({ id: 'skipped', title: 'Passed over', blocks: [{ kind: 'table', columns: [{ label: 'path' }, { label: 'why' }], rows: sources.skipped.map((entry) => [{ text: entry.path, mono: true }, { text: entry.why }]) }] })
  }
  return {
    brand: 'cutover history',
    title: history.scenario,
    subtitle: `${history.runs.length} run(s)${first === undefined || last === undefined ? '' : `, ${formatTimestamp(first.snapshot.source.startedAt)} to ${formatTimestamp(last.snapshot.source.startedAt)}`}`,
    verdict,
    verdictText,
    headline,
    notes: [],
    meta: [
      { label: 'runs', value: String(history.runs.length) },
      { label: 'accepted baseline', value: accepted === undefined ? 'none among these runs' : accepted.label },
      { label: 'steps', value: String(history.changes.length) }
    ],
    targets: history.targets.map((name) => ({ name, color: colors[name] ?? '#6e7781' })),
    sections,
    generatedBy: `cutover ${toolVersion}`
  }
}
