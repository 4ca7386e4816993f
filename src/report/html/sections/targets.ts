/** Per-target figures: a key-numbers table across targets, then one card per target. */
import type { PhaseSummary, TargetSummary } from '../../../core/result-types.js'
import { formatBytes, formatCount, formatCpu, formatDuration, formatMs, formatPercent, formatRate, formatTimestamp } from '../format.js'
import type { Block, Card, Cell, Fact, Section } from '../report-model.js'
import type { ReportContext } from './context.js'

const errorRate = (requests: { total: number, failed: number }): number => requests.total === 0 ? 0 : requests.failed / requests.total

/** The at-a-glance row of one target. */
export function keyNumberRow (name: string, target: TargetSummary, color: string): Cell[] {
  const rate = errorRate(target.requests)
  return [
    { text: name, swatch: color },
    { text: formatCount(target.requests.total), num: true },
    { text: formatPercent(rate), num: true, ...(rate > 0 ? { textTone: 'fail' as const } : {}) },
    { text: formatRate(target.throughput.mean), num: true },
    { text: formatMs(target.latencyMs.p50), num: true },
    { text: formatMs(target.latencyMs.p90), num: true },
    { text: formatMs(target.latencyMs.p99), num: true },
    { text: formatMs(target.latencyMs.max), num: true },
    { text: target.resources === undefined ? '–' : formatBytes(target.resources.rssPeakBytes), num: true },
    { text: target.resources === undefined ? '–' : formatCpu(target.resources.cpuMeanPercent), num: true }
  ]
}

/** Column heads of the key-numbers table. */
export const keyNumberColumns = [
  { label: 'target' }, { label: 'requests', num: true }, { label: 'errors', num: true }, { label: 'throughput', num: true },
  { label: 'p50', num: true }, { label: 'p90', num: true }, { label: 'p99', num: true }, { label: 'max', num: true },
  { label: 'RSS peak', num: true }, { label: 'CPU mean', num: true }
]

function phaseRow (target: string, color: string, phase: PhaseSummary): Cell[] {
  const load = phase.model === 'closed' ? `${phase.connections ?? '?'} connections` : phase.targetRate === undefined ? 'open' : formatRate(phase.targetRate)
  return [
    { text: target, swatch: color },
    { text: phase.name },
    { text: load },
    { text: formatDuration(phase.durationMs / 1000), num: true },
    { text: formatCount(phase.requests.total), num: true },
    { text: formatPercent(errorRate(phase.requests)), num: true },
    { text: formatRate(phase.throughput), num: true },
    { text: formatMs(phase.latencyMs.p50), num: true },
    { text: formatMs(phase.latencyMs.p99), num: true },
    { text: formatMs(phase.latencyMs.max), num: true },
    { text: `${formatCount(phase.generator.late)} / ${formatCount(phase.generator.dropped)}`, num: true }
  ]
}

function tally (counts: Record<string, number>, total: number, label: string): Block {
  const entries = Object.entries(counts ?? {}).sort((a, b) => b[1] - a[1])
  return {
    kind: 'table',
    title: label,
    columns: [{ label: label === 'Errors by kind' ? 'kind' : 'status' }, { label: 'count', num: true }, { label: 'share', num: true }],
    rows: entries.map(([key, n]) => [{ text: key, mono: true }, { text: formatCount(n), num: true }, { text: formatPercent(total === 0 ? 0 : n / total), num: true }])
  }
}

/** The card of one target. */
export function targetCard (name: string, target: TargetSummary, color: string): Card {
  const rate = errorRate(target.requests)
  const facts: Fact[] = [
    { label: 'URL', value: target.url },
    { label: 'requests', value: formatCount(target.requests.total) },
    { label: 'failed', value: `${formatCount(target.requests.failed)} (${formatPercent(rate)})`, ...(rate > 0 ? { tone: 'fail' as const } : {}) },
    { label: 'throughput', value: `${formatRate(target.throughput.mean)} mean, ${formatRate(target.throughput.max)} max` },
    { label: 'generator', value: `${formatCount(target.generator.sent)} sent, ${formatCount(target.generator.late)} late, ${formatCount(target.generator.dropped)} dropped`, ...(target.generator.behindRate > 0.01 ? { tone: 'warn' as const } : {}) },
    { label: 'send lag', value: `p50 ${formatMs(target.generator.sendLagMs.p50)}, p99 ${formatMs(target.generator.sendLagMs.p99)}, max ${formatMs(target.generator.sendLagMs.max)}` },
    { label: 'load ran', value: `${formatTimestamp(target.startedAt)} → ${formatTimestamp(target.endedAt)}` }
  ]
  const blocks: Block[] = [{ kind: 'facts', items: facts }]
  const l = target.latencyMs
  blocks.push({
    kind: 'table',
    title: 'Latency',
    columns: ['p50', 'p90', 'p95', 'p99', 'p99.9', 'max', 'mean'].map((label) => ({ label, num: true })),
    rows: [[l.p50, l.p90, l.p95, l.p99, l.p999, l.max, l.mean].map((ms) => ({ text: formatMs(ms), num: true }))]
  })
  if (Object.keys(target.requests.byError ?? {}).length > 0) blocks.push(tally(target.requests.byError, target.requests.total, 'Errors by kind'))
  else blocks.push({ kind: 'text', text: 'No failed requests.', tone: 'pass' })
  if (Object.keys(target.requests.byStatus ?? {}).length > 0) blocks.push(tally(target.requests.byStatus, target.requests.total, 'Status codes'))
  const r = target.resources
  if (r !== undefined) {
    blocks.push({
      kind: 'facts',
      title: 'Resources',
      items: [
        { label: 'RSS peak', value: formatBytes(r.rssPeakBytes) },
        { label: 'RSS mean', value: formatBytes(r.rssMeanBytes) },
        { label: 'CPU mean', value: `${formatCpu(r.cpuMeanPercent)} of a core` },
        ...(r.heapPeakBytes === undefined ? [] : [{ label: 'heap peak', value: formatBytes(r.heapPeakBytes) }]),
        ...(r.memoryLimitBytes === undefined ? [] : [{ label: 'memory limit', value: formatBytes(r.memoryLimitBytes) }]),
        { label: 'samples', value: `${formatCount(r.samples)} from ${r.source}` }
      ]
    })
  } else {
    blocks.push({ kind: 'text', text: 'CPU and memory were not sampled (no process to watch and no Prometheus endpoint).' })
  }
  if ((target.events ?? []).length > 0) {
    blocks.push({
      kind: 'table',
      title: 'Events',
      columns: [{ label: 'at', num: true }, { label: 'event' }, { label: 'detail' }],
      rows: target.events.map((event) => [{ text: formatDuration(event.t), num: true }, { text: event.type, tone: 'warn' }, { text: event.detail }])
    })
  }
  return { title: name, swatch: color, ...(rate > 0 ? { badge: { text: `${formatPercent(rate)} errors`, tone: 'warn' as const } } : {}), blocks }
}

/** One table of every phase of every target, phase by phase so old and new sit next to each other. */
function phasesBlock (entries: Array<[string, TargetSummary]>, colors: Record<string, string>): Block[] {
  const order: string[] = []
  for (const [, target] of entries) for (const phase of target.phases ?? []) if (!order.includes(phase.name)) order.push(phase.name)
  const rows: Cell[][] = []
  for (const name of order) {
    for (const [targetName, target] of entries) {
      const phase = (target.phases ?? []).find((p) => p.name === name)
      if (phase !== undefined) rows.push(phaseRow(targetName, colors[targetName] ?? '#6e7781', phase))
    }
  }
  if (rows.length === 0) return []
  return [{
    kind: 'table',
    title: 'Phases',
    columns: [{ label: 'target' }, { label: 'phase' }, { label: 'load' }, { label: 'time', num: true }, { label: 'requests', num: true }, { label: 'errors', num: true }, { label: 'throughput', num: true }, { label: 'p50', num: true }, { label: 'p99', num: true }, { label: 'max', num: true }, { label: 'late / dropped', num: true }],
    rows
  }]
}

/** The per-target section. */
export function targetsSection (context: ReportContext): Section {
  const entries = Object.entries(context.result.targets ?? {})
  if (entries.length === 0) return { id: 'targets', title: 'Targets', blocks: [{ kind: 'text', text: 'No target took any load.', tone: 'fail' }] }
  return {
    id: 'targets',
    title: 'Targets',
    blocks: [
      { kind: 'table', columns: keyNumberColumns, rows: entries.map(([name, target]) => keyNumberRow(name, target, context.colors[name] ?? '#6e7781')) },
      { kind: 'cards', cards: entries.map(([name, target]) => targetCard(name, target, context.colors[name] ?? '#6e7781')) },
      ...phasesBlock(entries, context.colors)
    ]
  }
}
