/** The report as data: sections of tables, facts, charts and text, every string already redacted and formatted. */
import type { ChartJson } from '../charts/chart-config.js'

/** How a value is coloured: the check statuses, or neutral. */
export type Tone = 'pass' | 'fail' | 'warn' | 'inconclusive' | 'neutral'

/** A confidence interval drawn as a small bar against the no-change line and the tolerance; positions in percent of the bar's width. */
export interface CiBar {
  lowPct: number
  highPct: number
  estimatePct: number
  /** Where "no change" is: 1 for ratios, 0 for differences. */
  neutralPct: number
  /** Where the worst acceptable effect is, when known. */
  limitPct?: number
  tone: Tone
  /** `95% CI +2.1% to +8.3%, limit +10%` for people and screen readers. */
  label: string
}

/** One table cell. */
export interface Cell {
  text: string
  /** Shown as a coloured pill. */
  tone?: Tone
  /** Coloured text without a pill (a figure worth noticing that decides nothing). */
  textTone?: Tone
  /** Right-aligned, tabular figures. */
  num?: boolean
  /** A colour dot before the text (the target's colour). */
  swatch?: string
  mono?: boolean
  ci?: CiBar
}

/** One key figure of a fact grid. */
export interface Fact {
  label: string
  value: string
  tone?: Tone
}

/** A chart ready for chart.js: the JSON configuration and the flat points of each dataset. */
export interface EmbeddedChart {
  id: string
  title: string
  note?: string
  config: ChartJson
  points: Array<Array<number | null>>
  /** Relative path of the PNG copy, when one was written. */
  png?: string
}

/** One of the three answers to a shadowed request. */
export interface SampleAnswer {
  label: string
  status: string
  headers: string
  body: string
  tone: Tone
}

/** A shadowed request and its three answers, side by side. */
export interface SampleView {
  request: string
  field: string
  answers: SampleAnswer[]
}

/** A building block of a section. */
export type Block =
  | { kind: 'table', title?: string, columns: Array<{ label: string, num?: boolean }>, rows: Cell[][], note?: string, /** Column shown as a full-width line under each row (long explanations). */ detailColumn?: string }
  | { kind: 'facts', title?: string, items: Fact[] }
  | { kind: 'charts', charts: EmbeddedChart[] }
  | { kind: 'text', text: string, tone?: Tone }
  | { kind: 'pre', title?: string, text: string }
  | { kind: 'links', title?: string, links: Array<{ label: string, href: string, note?: string }> }
  | { kind: 'cards', cards: Card[] }
  | { kind: 'samples', title: string, samples: SampleView[] }

/** A titled group of blocks, e.g. one target. */
export interface Card {
  title: string
  swatch?: string
  badge?: { text: string, tone: Tone }
  blocks: Block[]
}

/** The id of a report section: summary.md picks sections by it, so renaming one fails to compile rather than drop it. */
export type SectionId = 'checks' | 'targets' | 'comparison' | 'journeys' | 'charts' | 'leak' | 'capacity' | 'baseline' | 'shadow' | 'files' | 'scenario' |
  /** history.html (`cutover history`) */ 'steps' | 'trends' | 'runs' | 'skipped'

/** One section of the report, in page order. */
export interface Section {
  id: SectionId
  title: string
  blocks: Block[]
}

/** The whole report. */
export interface ReportModel {
  /** The small line above the title; `cutover report` when absent. */
  brand?: string
  title: string
  subtitle?: string
  verdict: 'pass' | 'fail' | 'inconclusive'
  /** `FAIL`, `PASS`, `INCONCLUSIVE`. */
  verdictText: string
  /** `2 of 9 checks failed: old slo.p99, new slo.errorRate`. */
  headline: string
  /** Things to know before reading on: an interrupted run, a target that died. */
  notes: Array<{ text: string, tone: Tone }>
  meta: Fact[]
  targets: Array<{ name: string, color: string }>
  sections: Section[]
  generatedBy: string
}
