/** The top of the report: the verdict, a one-line reason, and what to know before reading on. */
import type { RunResult } from '../../../core/result-types.js'
import { formatDuration, formatTimestamp } from '../format.js'
import type { Fact, ReportModel, Tone } from '../report-model.js'
import { countChecks, sortChecks } from './checks.js'

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/** `2 of 9 checks failed: old slo.p99, new slo.errorRate`. */
export function headlineOf (result: RunResult): string {
  const checks = result.checks ?? []
  const counts = countChecks(checks)
  const named = (status: string): string => sortChecks(checks).filter((check) => check.status === status).slice(0, 4)
    .map((check) => `${check.target === undefined ? '' : `${check.target} `}${check.id}`).join(', ')
  const warnings = counts.warn === undefined ? '' : `; ${plural(counts.warn, 'warning')}`
  if (checks.length === 0) return result.failures?.length > 0 ? 'No checks ran: a target failed' : 'No checks were configured'
  if (counts.fail !== undefined) return `${counts.fail} of ${plural(checks.length, 'check')} failed: ${named('fail')}${(counts.fail ?? 0) > 4 ? ', …' : ''}`
  if (counts.inconclusive !== undefined) return `${counts.inconclusive} of ${plural(checks.length, 'check')} could not decide: ${named('inconclusive')}${warnings}`
  return `All ${plural(checks.length, 'check')} passed${warnings}`
}

/** Notes shown under the verdict: an interrupted or rebuilt run, targets that failed. */
export function notesOf (result: RunResult, skippedTimelineLines: number): Array<{ text: string, tone: Tone }> {
  const notes: Array<{ text: string, tone: Tone }> = []
  for (const failure of result.failures ?? []) {
    notes.push({ text: `Target ${failure.target}: ${failure.message}${failure.hint === undefined ? '' : ` — ${failure.hint}`} (${failure.code})`, tone: 'fail' })
  }
  if (result.status === 'interrupted') notes.push({ text: 'The run was interrupted: the figures cover what was measured before it stopped.', tone: 'warn' })
  if (result.status === 'failed' && (result.failures ?? []).length === 0) notes.push({ text: 'The run failed before it finished.', tone: 'fail' })
  if (result.incomplete === true) notes.push({ text: 'result.json was rebuilt from timeline.ndjson after cutover stopped abruptly; per-request details (send lag, events) are approximate.', tone: 'warn' })
  for (const warning of result.reportWarnings ?? []) notes.push({ text: `${warning.writes} could not be written: ${warning.message}`, tone: 'warn' })
  if (result.history !== undefined) {
    notes.push({ text: `History of this scenario's last ${plural(result.history.runs, 'run')} (history.html, history.md): ${result.history.headline}`, tone: result.history.verdict === 'fail' ? 'warn' : 'neutral' })
  }
  if (skippedTimelineLines > 0) notes.push({ text: `${plural(skippedTimelineLines, 'timeline line')} could not be read (a write cut short) and ${skippedTimelineLines === 1 ? 'was' : 'were'} left out of the charts.`, tone: 'warn' })
  return notes
}

/** Start, length, targets, schedule and version. */
export function metaOf (result: RunResult): Fact[] {
  const seconds = (Date.parse(result.endedAt) - Date.parse(result.startedAt)) / 1000
  return [
    { label: 'started', value: formatTimestamp(result.startedAt) },
    { label: 'took', value: formatDuration(seconds) },
    { label: 'targets', value: Object.keys(result.targets ?? {}).join(', ') || 'none' },
    { label: 'schedule', value: result.schedule },
    ...(result.settle === undefined
      ? []
      : [{ label: 'until settled', value: `${result.settle.settled ? 'settled' : 'not settled'} after ${plural(result.settle.rounds, 'round')} of ${result.settle.phase}`, tone: result.settle.settled ? 'pass' as const : 'warn' as const }]),
    { label: 'status', value: result.status, tone: result.status === 'completed' ? 'pass' : result.status === 'interrupted' ? 'warn' : 'fail' },
    { label: 'cutover', value: result.tool?.version ?? '' }
  ]
}

/** The verdict in capitals. */
export function verdictTextOf (verdict: ReportModel['verdict']): string {
  return verdict.toUpperCase()
}
