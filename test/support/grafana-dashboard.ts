/** The Grafana dashboard in examples/grafana/ and the README's table of its queries, read the same way for the tests. */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** Where the dashboard is. */
export const dashboardPath = fileURLToPath(new URL('../../examples/grafana/cutover-dashboard.json', import.meta.url))
/** Where the README is. */
export const readmePath = fileURLToPath(new URL('../../README.md', import.meta.url))
/** The heading the README's section on live metrics starts with. */
export const readmeSectionHeading = '### Live metrics'

/** One query of one panel. */
export interface PanelQuery {
  panel: string
  expr: string
}

/** The parts of a dashboard panel the tests read (row panels hold more panels). */
interface DashboardPanel {
  title?: string
  type?: string
  panels?: DashboardPanel[]
  targets?: Array<{ expr?: string }>
}

/** The dashboard JSON, parsed. */
export function readDashboard (): { schemaVersion?: number, templating?: { list?: Array<{ name?: string, type?: string, query?: unknown }> }, panels?: DashboardPanel[] } {
  return JSON.parse(readFileSync(dashboardPath, 'utf8')) as ReturnType<typeof readDashboard>
}

/** Every panel's PromQL queries, in panel order (rows' panels in place). */
export function dashboardQueries (panels: readonly DashboardPanel[]): PanelQuery[] {
  return panels.flatMap((panel) => [
    ...(panel.targets ?? []).flatMap((target) => target.expr === undefined ? [] : [{ panel: panel.title ?? '', expr: target.expr }]),
    ...dashboardQueries(panel.panels ?? [])
  ])
}

/** The `cutover_…` metric names a PromQL expression uses. */
export function metricNamesIn (expr: string): string[] {
  return [...new Set(expr.match(/\bcutover_[a-zA-Z0-9_]+\b/g) ?? [])]
}

/**
 * The rows `| Panel title | \`query\` |` of the table headed `| panel | query |` in the README section that starts with
 * {@link readmeSectionHeading} (the section ends at the next heading outside a code block); undefined when the README
 * has no such section, [] when the section has no such table.
 */
export function readmeQueries (readme: string): PanelQuery[] | undefined {
  const lines = readme.split('\n')
  const start = lines.findIndex((line) => line.startsWith(readmeSectionHeading))
  if (start < 0) return undefined
  const rows: PanelQuery[] = []
  let fenced = false
  let table: 'before' | 'header' | 'rows' | 'after' = 'before'
  for (const raw of lines.slice(start + 1)) {
    const line = raw.trim()
    if (line.startsWith('```')) fenced = !fenced
    if (fenced) continue
    if (line.startsWith('#')) break
    if (table === 'before' && /^\|\s*panel\s*\|\s*query\s*\|$/.test(line)) table = 'header'
    else if (table === 'header' && /^\|[\s:-]+\|[\s:-]+\|$/.test(line)) table = 'rows'
    else if (table === 'rows') {
      const row = /^\|\s*(.+?)\s*\|\s*`([^`]+)`\s*\|$/.exec(line)
      if (row === null) table = 'after'
      else rows.push({ panel: row[1] ?? '', expr: row[2] ?? '' })
    }
  }
  return rows
}
