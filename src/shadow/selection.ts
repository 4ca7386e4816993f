/**
 * Which requests of the mix are shadowed. With `shadow.requests`, exactly those, and naming a mutating one without
 * `allowMutating: true` is an error; without it, every read-only request (and any that opted in), the mutating ones
 * skipped and listed. Journeys are never shadowed: their steps depend on one another.
 */

import { CutoverError, type ScenarioIssue } from '../core/errors.js'
import type { CompiledRequest } from '../scenario/compiled.js'
import type { LoadedScenario } from '../scenario/load.js'
import { locateScenarioField } from './locate-field.js'
import { maySend, mutatingExplanation } from './safety.js'

/** A request or recorded call that is not shadowed, and why. */
export interface SkippedRequest {
  name: string
  method: string
  reason: string
  /** How many (replayed traffic); 1 for a request of the mix. */
  count: number
}

/** The requests to shadow and the ones left out. */
export interface ShadowSelection {
  requests: CompiledRequest[]
  skipped: SkippedRequest[]
}

/** Picks the requests to shadow; throws SCENARIO_INVALID (exit 2) when `shadow.requests` names a mutating one that did not opt in. */
export function selectShadowRequests (scenario: LoadedScenario): ShadowSelection {
  const named = scenario.config.shadow?.requests
  const skipped: SkippedRequest[] = []
  if (named === undefined) {
    const requests: CompiledRequest[] = []
    for (const request of scenario.requests) {
      if (!maySend(request.method, request.allowMutating)) {
        skipped.push({ name: request.name, method: request.method, reason: 'mutating (add allowMutating: true to shadow it)', count: 1 })
      } else if (request.weight <= 0) {
        skipped.push({ name: request.name, method: request.method, reason: 'weight 0', count: 1 })
      } else {
        requests.push(request)
      }
    }
    for (const journey of scenario.config.journeys ?? []) {
      skipped.push({ name: journey.name, method: 'journey', reason: 'journeys are not shadowed (their steps depend on each other)', count: 1 })
    }
    if (requests.length === 0) {
      throw new CutoverError('SHADOW_CONFIG', `nothing to shadow in ${scenario.file}: every request of the mix is mutating (${skipped.map((s) => `${s.method} ${s.name}`).join(', ')})`, {
        hint: `${mutatingExplanation}; add a GET request, or set allowMutating: true on a request that is safe to repeat`
      })
    }
    return { requests, skipped }
  }
  const issues: ScenarioIssue[] = []
  const requests: CompiledRequest[] = []
  named.forEach((name, index) => {
    const request = scenario.requests.find((r) => r.name === name)
    if (request === undefined) return // the schema already refuses unknown names
    if (!maySend(request.method, request.allowMutating)) {
      issues.push({
        location: locateScenarioField(scenario.file, ['shadow', 'requests', index]),
        message: `"${name}" is a ${request.method} request: ${mutatingExplanation}. Remove it from shadow.requests, or set allowMutating: true on it if repeating it is harmless`
      })
      return
    }
    // a request named on purpose is shadowed even when its weight in the load mix is 0
    requests.push(request.weight > 0 ? request : { ...request, weight: 1 })
  })
  if (issues.length > 0) {
    throw new CutoverError('SCENARIO_INVALID', `${scenario.file}: shadow.requests names ${issues.length === 1 ? 'a mutating request' : 'mutating requests'} without allowMutating`, {
      issues,
      hint: 'only GET, HEAD and OPTIONS are shadowed unless a request says allowMutating: true'
    })
  }
  for (const request of scenario.requests) {
    if (!named.includes(request.name)) skipped.push({ name: request.name, method: request.method, reason: 'not in shadow.requests', count: 1 })
  }
  return { requests, skipped }
}
