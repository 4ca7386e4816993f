/** Shadow traffic: how often old and new answered differently, which fields, and samples of the three answers. */
import type { ShadowSample, ShadowSummary } from '../../../core/result-types.js'
import { formatCount, formatPercent } from '../format.js'
import type { Block, SampleAnswer, SampleView, Section } from '../report-model.js'
import { statusRank, toneOf, type ReportContext } from './context.js'

/** Longest body shown per answer; the rest is cut with a note. */
export const maxBodyChars = 4000
/** Most samples shown per field, and in all. */
const samplesPerField = 3
const samplesInAll = 40

function shorten (text: string): string {
  return text.length <= maxBodyChars ? text : `${text.slice(0, maxBodyChars)}\n… (${formatCount(text.length - maxBodyChars)} more characters)`
}

function headerText (headers: Record<string, string> | undefined): string {
  return Object.entries(headers ?? {}).map(([name, value]) => `${name}: ${value}`).join('\n')
}

function answer (label: string, side: ShadowSample['old'] | undefined, reference: ShadowSample['old'] | undefined, differsTone: SampleAnswer['tone']): SampleAnswer {
  const differs = reference !== undefined && side !== undefined && (side.status !== reference.status || side.body !== reference.body)
  return {
    label,
    status: side === undefined ? '–' : String(side.status),
    headers: headerText(side?.headers),
    body: shorten(typeof side?.body === 'string' ? side.body : ''),
    tone: differs ? differsTone : 'neutral'
  }
}

/** The three answers of one sample: old, old again (the noise) and new. */
export function sampleView (sample: ShadowSample, field: string): SampleView {
  return {
    request: `${sample.request?.method ?? 'GET'} ${sample.request?.path ?? ''}`,
    field,
    answers: [
      answer('old', sample.old, undefined, 'neutral'),
      answer('old, again', sample.old2, sample.old, 'warn'),
      answer('new', sample.new, sample.old, 'fail')
    ]
  }
}

function endpointBlocks (endpoint: ShadowSummary['endpoints'][number], budget: { left: number }): Block[] {
  const fields = [...(endpoint.fields ?? [])].sort((a, b) => (statusRank[a.verdict] ?? 9) - (statusRank[b.verdict] ?? 9) || b.rawRate - a.rawRate)
  const blocks: Block[] = [{
    kind: 'table',
    title: `${endpoint.name}: ${formatCount(endpoint.mismatched)} of ${formatCount(endpoint.requests)} answers differ`,
    columns: [{ label: 'field' }, { label: 'difference' }, { label: 'old vs new', num: true }, { label: 'old vs old', num: true }, { label: 'verdict' }],
    rows: fields.map((field) => [
      { text: field.path, mono: true },
      { text: field.kind },
      { text: formatPercent(field.rawRate), num: true },
      { text: formatPercent(field.noiseRate), num: true },
      { text: field.verdict, tone: toneOf(field.verdict) }
    ])
  }]
  const samples: SampleView[] = []
  for (const field of fields) {
    for (const sample of (field.samples ?? []).slice(0, samplesPerField)) {
      if (budget.left <= 0) break
      samples.push(sampleView(sample, field.path))
      budget.left--
    }
  }
  if (samples.length > 0) blocks.push({ kind: 'samples', title: `${endpoint.name}: sample answers`, samples })
  return blocks
}

/** The shadow section, or undefined without a shadow run. */
export function shadowSection (context: ReportContext): Section | undefined {
  const shadow = context.result.shadow
  if (shadow === undefined) return undefined
  const real = (shadow.endpoints ?? []).reduce((n, endpoint) => n + (endpoint.fields ?? []).filter((field) => field.verdict === 'real').length, 0)
  const budget = { left: samplesInAll }
  return {
    id: 'shadow',
    title: 'Shadow traffic',
    blocks: [
      {
        kind: 'facts',
        items: [
          { label: 'requests', value: formatCount(shadow.requests) },
          { label: 'answers differing', value: `${formatCount(shadow.mismatched)} (${formatPercent(shadow.requests === 0 ? 0 : shadow.mismatched / shadow.requests)})` },
          { label: 'real differences', value: `${real} field(s)`, tone: real > 0 ? 'fail' : 'pass' }
        ]
      },
      { kind: 'text', text: 'Each request went to old twice and to new once: a field that also differs between the two old answers is noise (timestamps, ids); one that differs only between old and new is real.' },
      ...(shadow.endpoints ?? []).flatMap((endpoint) => endpointBlocks(endpoint, budget))
    ]
  }
}
