/** The table of checks, what failed first. */
import type { CheckResult } from '../../../core/result-types.js'
import { formatWithUnit } from '../format.js'
import type { Cell, Section } from '../report-model.js'
import { statusRank, toneOf, type ReportContext } from './context.js'

/** Checks ordered fail, inconclusive, warn, pass; then by target and id. */
export function sortChecks (checks: readonly CheckResult[]): CheckResult[] {
  return [...checks].sort((a, b) =>
    (statusRank[a.status] ?? 9) - (statusRank[b.status] ?? 9) ||
    (a.target ?? '').localeCompare(b.target ?? '') ||
    a.id.localeCompare(b.id))
}

/** Counts per status, e.g. `{ fail: 2, pass: 7 }`. */
export function countChecks (checks: readonly CheckResult[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const check of checks) counts[check.status] = (counts[check.status] ?? 0) + 1
  return counts
}

/** One row per check: status, target, id, observed, limit, message. */
export function checkRows (checks: readonly CheckResult[], colors: Record<string, string>): Cell[][] {
  return sortChecks(checks).map((check) => [
    { text: check.status, tone: toneOf(check.status) },
    check.target === undefined ? { text: 'run' } : { text: check.target, swatch: colors[check.target] ?? '#6e7781' },
    { text: check.id, mono: true },
    { text: formatWithUnit(check.observed, check.unit), num: true },
    { text: formatWithUnit(check.limit, check.unit), num: true },
    { text: check.message }
  ])
}

/** The checks section. */
export function checksSection (context: ReportContext): Section {
  const checks = context.result.checks ?? []
  if (checks.length === 0) return { id: 'checks', title: 'Checks', blocks: [{ kind: 'text', text: 'No checks were configured, so nothing decided the verdict. Add `checks:` to the scenario (slo, compare, leak, baseline).' }] }
  return {
    id: 'checks',
    title: 'Checks',
    blocks: [{
      kind: 'table',
      columns: [{ label: 'status' }, { label: 'target' }, { label: 'check' }, { label: 'observed', num: true }, { label: 'limit', num: true }, { label: 'message' }],
      rows: checkRows(checks, context.colors)
    }]
  }
}
