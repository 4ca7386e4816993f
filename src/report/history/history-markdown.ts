/** history.md: the verdict, the steps and the runs as Markdown tables, and the p99 trend as a Mermaid chart. */

import type { ChartSpec } from '../charts/chart-spec.js'
import type { Block, ReportModel, SectionId } from '../html/report-model.js'
import { escapeMarkdown, markdownTable, toneMark } from '../markdown.js'
import { mermaidChart } from '../mermaid-chart.js'

const tableOf = (model: ReportModel, id: SectionId): Extract<Block, { kind: 'table' }> | undefined =>
  model.sections.find((section) => section.id === id)?.blocks.find((block): block is Extract<Block, { kind: 'table' }> => block.kind === 'table')

/** The Markdown page of a history model; `charts` drawn as Mermaid blocks where they can be (GitHub and GitLab draw them). */
export function renderHistoryMarkdown (model: ReportModel, charts: readonly ChartSpec[]): string {
  const mark = model.verdict === 'pass' ? toneMark.pass : model.verdict === 'fail' ? toneMark.fail : toneMark.inconclusive
  const out: string[] = [`## ${mark} ${model.verdictText} — ${escapeMarkdown(model.title)} history`, '', `**${escapeMarkdown(model.headline)}**`, '']
  if (model.subtitle !== undefined) out.push(escapeMarkdown(model.subtitle), '')
  const steps = tableOf(model, 'steps')
  out.push('### Steps between runs', '', steps === undefined ? 'No step found.' : markdownTable(steps), '')
  const drawn = charts.filter((spec) => spec.id === 'history-p99' || spec.id === 'history-throughput').flatMap((spec) => {
    const block = mermaidChart(spec)
    return block === undefined ? [] : [block]
  })
  if (drawn.length > 0) out.push('### Trends', '', ...drawn.flatMap((block) => [block, '']))
  const runs = tableOf(model, 'runs')
  if (runs !== undefined) out.push('### Runs', '', markdownTable(runs), '')
  const skipped = tableOf(model, 'skipped')
  if (skipped !== undefined) out.push('### Passed over', '', markdownTable(skipped), '')
  out.push(`<sub>${escapeMarkdown(model.generatedBy)} · charts in history.html (self-contained, opens offline)</sub>`, '')
  return out.join('\n')
}
