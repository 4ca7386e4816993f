/** summary.md: the verdict first, the checks, key numbers and comparison, and the charts (Mermaid, linking the PNGs) — for CI job summaries and pull requests. */
import type { ChartSpec } from './charts/chart-spec.js'
import type { Block, Cell, ReportModel, Section, SectionId, Tone } from './html/report-model.js'
import { mermaidChart } from './mermaid-chart.js'

/** The mark a tone gets in Markdown. */
export const toneMark: Record<Tone, string> = { pass: '✅', fail: '❌', warn: '⚠️', inconclusive: '❔', neutral: '' }

/**
 * Text safe in Markdown and in the HTML GitHub allows in it: `&`, `<`, `>` become
 * entities, inline Markdown punctuation is backslash-escaped (with `[` and `]`
 * escaped no link or image can form, so parentheses stay as they are), line breaks
 * become spaces (table cells) and `@` cannot mention anyone. Escaped text never
 * starts a line here, so block markers (`-`, `+`, `1.`) need no escape.
 */
export function escapeMarkdown (text: string): string {
  return String(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]#!|~])/g, '\\$1')
    .replace(/@/g, '@\u200b')
    .replace(/\r?\n|\r|\u2028|\u2029/g, ' ')
}

function cellText (cell: Cell): string {
  const mark = cell.tone === undefined ? '' : toneMark[cell.tone]
  const text = escapeMarkdown(cell.tone === undefined ? cell.text : cell.text.toUpperCase())
  // identifiers such as `slo.p99` read best as code; anything else is escaped text, never a code span
  if (cell.mono === true && /^[\w.:$@/-]{1,80}$/.test(cell.text)) return `\`${cell.text}\``
  return mark === '' ? text : `${mark} ${text}`
}

/** A table block as a Markdown table, without the columns named in `skipColumns`. */
export function markdownTable (block: Extract<Block, { kind: 'table' }>, skipColumns: string[] = []): string {
  const keep = block.columns.map((column, index) => ({ column, index })).filter(({ column }) => !skipColumns.includes(column.label))
  const head = `| ${keep.map(({ column }) => escapeMarkdown(column.label)).join(' | ')} |`
  const rule = `| ${keep.map(({ column }) => column.num === true ? '---:' : '---').join(' | ')} |`
  const rows = block.rows.map((row) => `| ${keep.map(({ index }) => cellText(row[index] ?? { text: '' })).join(' | ')} |`)
  return [head, rule, ...rows].join('\n')
}

function firstTable (section: Section | undefined): Extract<Block, { kind: 'table' }> | undefined {
  return section?.blocks.find((block): block is Extract<Block, { kind: 'table' }> => block.kind === 'table')
}

function leakLines (section: Section | undefined): string[] {
  const cards = section?.blocks.find((block): block is Extract<Block, { kind: 'cards' }> => block.kind === 'cards')?.cards ?? []
  return cards.map((card) => {
    const facts = card.blocks.find((block): block is Extract<Block, { kind: 'facts' }> => block.kind === 'facts')?.items ?? []
    const fact = (label: string): string => escapeMarkdown(facts.find((item) => item.label === label)?.value ?? '–')
    const reason = card.blocks.find((block): block is Extract<Block, { kind: 'text' }> => block.kind === 'text')?.text ?? ''
    const tone = card.badge?.tone ?? 'neutral'
    return `- **${escapeMarkdown(card.title)}** ${toneMark[tone]} ${escapeMarkdown((card.badge?.text ?? '').toUpperCase())}: ${fact('growth')} (95% CI ${fact('95% CI')}) — ${escapeMarkdown(reason)}`
  })
}

/** A chart image written next to summary.md. */
export interface MarkdownChart {
  title: string
  /** Relative to the run directory: `charts/latency.png`. */
  path: string
}

/** The Markdown summary of a report model: `charts` are the PNGs written (linked), `diagrams` the charts drawn as Mermaid blocks. */
export function renderMarkdown (model: ReportModel, charts: readonly MarkdownChart[], diagrams?: readonly ChartSpec[]): string {
  const section = (id: SectionId): Section | undefined => model.sections.find((s) => s.id === id)
  const out: string[] = []
  const mark = model.verdict === 'pass' ? '✅' : model.verdict === 'fail' ? '❌' : '❔'
  out.push(`## ${mark} ${model.verdictText} — ${escapeMarkdown(model.title)}`, '')
  out.push(`**${escapeMarkdown(model.headline)}**`, '')
  for (const note of model.notes) out.push(`> ${toneMark[note.tone]} ${escapeMarkdown(note.text)}`, '')
  out.push(model.meta.map((fact) => `${escapeMarkdown(fact.label)} **${escapeMarkdown(fact.value)}**`).join(' · '), '')
  const checks = firstTable(section('checks'))
  if (checks !== undefined) out.push('### Checks', '', markdownTable(checks), '')
  const keyNumbers = firstTable(section('targets'))
  if (keyNumbers !== undefined) out.push('### Key numbers', '', markdownTable(keyNumbers), '')
  const comparison = firstTable(section('comparison'))
  if (comparison !== undefined) out.push('### Old vs new', '', markdownTable(comparison, ['why']), '')
  const journeys = firstTable(section('journeys'))
  if (journeys !== undefined) out.push('### Journeys', '', markdownTable(journeys), '')
  const leaks = leakLines(section('leak'))
  if (leaks.length > 0) out.push('### Memory', '', ...leaks, '')
  const capacity = firstTable(section('capacity'))
  if (capacity !== undefined) out.push('### Capacity', '', markdownTable(capacity), '')
  const baseline = firstTable(section('baseline'))
  if (baseline !== undefined) out.push('### Against the baseline', '', markdownTable(baseline, ['why']), '')
  const shadow = section('shadow')?.blocks.find((block): block is Extract<Block, { kind: 'facts' }> => block.kind === 'facts')
  if (shadow !== undefined) out.push('### Shadow traffic', '', shadow.items.map((item) => `${escapeMarkdown(item.label)} **${escapeMarkdown(item.value)}**`).join(' · '), '')
  const drawn = (diagrams ?? []).flatMap((spec) => {
    const block = mermaidChart(spec)
    return block === undefined ? [] : [block]
  })
  if (charts.length > 0 || drawn.length > 0) {
    out.push('### Charts', '')
    // drawn by GitHub and GitLab where the summary is shown; the PNG links work when browsing the run directory
    for (const block of drawn) out.push(block, '')
    if (charts.length > 0) out.push(charts.map((chart) => `[${escapeMarkdown(chart.title)}](${chart.path.split('/').map(encodeURIComponent).join('/')})`).join(' · '), '')
  }
  out.push(`<sub>${escapeMarkdown(model.generatedBy)} · full report in report.html (self-contained, opens offline)</sub>`, '')
  return out.join('\n')
}
