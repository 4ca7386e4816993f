/**
 * Tallies of a shadow run per endpoint and per (field path, kind): on how many requests old and new differed (raw),
 * old differed from itself (noise), and the discordant pairs McNemar's test needs, plus a few sample requests.
 * Memory is bounded: counters per field, a capped number of fields and samples.
 */

import type { ShadowSample } from '../core/result-types.js'
import type { AnswerDifference } from './compare.js'

/** Counts of one (endpoint, path, kind). */
export interface FieldTally {
  path: string
  kind: string
  ignored: boolean
  raw: number
  noise: number
  rawOnly: number
  noiseOnly: number
  /** Samples where old and new differed here but old did not differ from itself: the clearest evidence. */
  samples: ShadowSample[]
  /** Samples where both differed, used only when too few of the others were seen. */
  noisySamples: ShadowSample[]
}

/** Counts of one endpoint. */
export interface EndpointTally {
  name: string
  /** Requests compared (every arm answered or failed). */
  requests: number
  /** Requests where at least one arm got no response. */
  failed: number
  /** Requests where old and new differed on a field that is not ignored. */
  differing: number
  fields: Map<string, FieldTally>
  /**
   * Differing requests grouped by the set of fields on which old and new differed: once verdicts are known, a group
   * counts as mismatched when one of its fields is real. Groups, not requests, so memory does not grow with the run.
   */
  differingGroups: Map<string, { fields: FieldTally[], requests: number }>
  /** Differences not tallied because the endpoint already had the most fields allowed. */
  untracked: number
}

/** Most (path, kind) pairs tallied per endpoint. */
export const maxFieldsPerEndpoint = 1000
/** Samples kept per field. */
export const samplesPerField = 5

function keyOf (difference: AnswerDifference): string {
  return `${difference.ignored ? 'ignored ' : ''}${difference.kind} ${difference.path}`
}

/** Collects the comparisons of a shadow run. */
export class ShadowCollector {
  private readonly byName = new Map<string, EndpointTally>()

  /** Endpoints in the order first seen. */
  get endpoints (): EndpointTally[] {
    return [...this.byName.values()]
  }

  /** Requests compared over all endpoints. */
  get requests (): number {
    let total = 0
    for (const endpoint of this.byName.values()) total += endpoint.requests
    return total
  }

  private endpoint (name: string): EndpointTally {
    let tally = this.byName.get(name)
    if (tally === undefined) {
      tally = { name, requests: 0, failed: 0, differing: 0, fields: new Map(), differingGroups: new Map(), untracked: 0 }
      this.byName.set(name, tally)
    }
    return tally
  }

  /** One request's comparisons: old vs new (`raw`) and old vs old again (`noise`); `sample` is called only when one is wanted. */
  record (endpointName: string, raw: readonly AnswerDifference[], noise: readonly AnswerDifference[], failed: boolean, sample: () => ShadowSample): void {
    const endpoint = this.endpoint(endpointName)
    endpoint.requests++
    if (failed) endpoint.failed++
    const rawKeys = new Map(raw.map((d) => [keyOf(d), d]))
    const noiseKeys = new Map(noise.map((d) => [keyOf(d), d]))
    const differingFields: Array<{ key: string, field: FieldTally }> = []
    let made: ShadowSample | undefined
    const once = (): ShadowSample => (made ??= sample())
    for (const key of new Set([...rawKeys.keys(), ...noiseKeys.keys()])) {
      const inRaw = rawKeys.has(key)
      const inNoise = noiseKeys.has(key)
      const difference = rawKeys.get(key) ?? noiseKeys.get(key) as AnswerDifference
      let field = endpoint.fields.get(key)
      if (field === undefined) {
        if (endpoint.fields.size >= maxFieldsPerEndpoint) {
          endpoint.untracked++
          continue
        }
        field = { path: difference.path, kind: difference.kind, ignored: difference.ignored, raw: 0, noise: 0, rawOnly: 0, noiseOnly: 0, samples: [], noisySamples: [] }
        endpoint.fields.set(key, field)
      }
      if (inRaw) field.raw++
      if (inNoise) field.noise++
      if (inRaw && !inNoise) field.rawOnly++
      if (inNoise && !inRaw) field.noiseOnly++
      if (!inRaw) continue
      if (!field.ignored) differingFields.push({ key, field })
      if (!inNoise && field.samples.length < samplesPerField) field.samples.push(once())
      else if (inNoise && field.samples.length + field.noisySamples.length < samplesPerField) field.noisySamples.push(once())
    }
    if (differingFields.length > 0) {
      endpoint.differing++
      const signature = differingFields.map((entry) => entry.key).sort().join('\n')
      const group = endpoint.differingGroups.get(signature)
      if (group === undefined) endpoint.differingGroups.set(signature, { fields: differingFields.map((entry) => entry.field), requests: 1 })
      else group.requests++
    }
  }
}
