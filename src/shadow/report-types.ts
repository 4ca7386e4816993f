/** result.json `shadow` as cutover writes it: SPEC §3's fields plus the counts and reasons behind each verdict. */

import type { CheckResult, ShadowSample, ShadowSummary } from '../core/result-types.js'
import type { ShadowSuggestion } from '../analysis/shadow/suggest.js'
import type { SkippedRequest } from './selection.js'

type SpecField = ShadowSummary['endpoints'][number]['fields'][number]
type SpecEndpoint = ShadowSummary['endpoints'][number]

/** One (path, kind) of one endpoint. */
export interface ShadowFieldReport extends SpecField {
  /** Requests where old and new differed here. */
  rawCount: number
  /** Requests where old differed from itself here. */
  noiseCount: number
  /** McNemar's b and c: raw without noise, noise without raw. */
  rawOnly: number
  noiseOnly: number
  pValue?: number
  qValue?: number
  /** Why the verdict, in words. */
  reason: string
  samples?: ShadowSample[]
}

/** One endpoint (a request name, or method and path pattern of recorded traffic). */
export interface ShadowEndpointReport extends SpecEndpoint {
  /** `mismatched` / `requests`: the share of requests with at least one real difference. */
  mismatchRate: number
  /** Requests where old and new differed on any field that is not ignored, real or noise. */
  differing: number
  /** Requests where at least one service gave no response. */
  failed: number
  /** Differences not tallied because the endpoint had too many distinct fields. */
  untracked: number
  fields: ShadowFieldReport[]
}

/** result.json `shadow`. `mismatched` counts requests with at least one real difference. */
export interface ShadowReport extends ShadowSummary {
  mode: 'statistical' | 'diffy'
  /** Which targets played old and new, and where the noise answers came from. */
  targets: { old: string, new: string, noise: string }
  /** `old2` (a second instance) or `old-again` (old asked twice). */
  noiseSource: 'old2' | 'old-again'
  /** Arrivals not sent because too many requests were outstanding. */
  dropped: number
  skipped: SkippedRequest[]
  suggestions: ShadowSuggestion[]
  settings: { falseDiscoveryRate: number, minExcessRate: number, minRequests: number, maxMismatchRate: number, diffy?: { relativePercent: number, absolutePercent: number } }
  endpoints: ShadowEndpointReport[]
}

/** The report and the checks it adds to the run. */
export interface ShadowOutcomeSummary {
  report: ShadowReport
  checks: CheckResult[]
}
