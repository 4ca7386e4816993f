/**
 * What every starter scenario gets — a warm-up ramp, steady load and a closed-model flood, and starting checks — and
 * the scenario plain `cutover init` writes.
 */
import type { StarterScenario } from './starter-model.js'

/** One phase as written, with the comment beside it. */
export interface StarterPhase {
  name: string
  duration: string
  rate?: number | { from: number, to: number }
  connections?: number
  comment: string
}

/** Warm-up (open model, a ramp), steady (open model, a constant rate), flood (closed model, fixed connections). */
export const starterPhases: readonly StarterPhase[] = [
  { name: 'warmup', duration: '30s', rate: { from: 5, to: 50 }, comment: 'a ramp while JIT, caches and pools settle; the leak analysis skips it' },
  { name: 'steady', duration: '2m', rate: 50, comment: 'open model: 50 arrivals a second whatever the service does; set it near your peak' },
  { name: 'flood', duration: '30s', connections: 16, comment: 'closed model: 16 connections sending as fast as answers come' }
]

/** Starting checks: an SLO for each service and how much worse new may be than old. */
export const starterChecks = {
  slo: { p99: '500ms', errorRate: '1%' },
  compare: { p99: '+10%', throughput: '-5%', errorRate: '+0.1pp' }
} as const

/** The comment above `checks:`. */
export const starterChecksComment = ' Starting points, not your objectives: set the SLO to what your users are promised.'

/** The comment above `phases:`. */
export const starterPhasesComment = ' Warm-up, steady load, then a flood. Old and new take turns in short slices; see `cutover run --help`.'

/**
 * The scenario plain `cutover init` writes, asking nothing: one read-only request for two URLs, a commented example
 * of a request that changes data, and the usual load plan (added by the writer).
 */
export function plainStarter (): StarterScenario {
  return {
    name: 'starter',
    description: 'Old vs new: a starter scenario written by cutover init; replace the requests with your own',
    notes: [
      'A starter written by `cutover init`: change the URLs and the requests, then `cutover validate` and `cutover run` it.',
      'Templates: {{ randomInt(1, 100) }}, {{ pick("a", "b") }}, {{ env("NAME") }}, {{ <data source>.<column> }} (README: Scenario reference).'
    ],
    requests: [
      { name: 'home', method: 'GET', path: '/', weight: 1, comment: 'GET /: replace with the endpoints your callers use, weighted by how often they do' }
    ],
    mutating: [
      {
        name: 'create-item',
        method: 'POST',
        path: '/items',
        weight: 1,
        json: { name: 'item-{{ counter() }}', qty: '{{ randomInt(1, 5) }}' },
        comment: 'an example of a request that changes data'
      }
    ],
    shadow: ['home'],
    data: [],
    envNames: []
  }
}

/**
 * The starter itself when it sends something; else the same with a placeholder `GET /` added, since a scenario needs
 * a request (with `readOnly`, the ones that change data are only written as comments).
 */
export function withSendableRequest (starter: StarterScenario, readOnly: boolean): StarterScenario {
  if (starter.requests.length > 0 || (!readOnly && starter.mutating.length > 0)) return starter
  const taken = new Set(starter.mutating.map((request) => request.name))
  let name = 'home'
  for (let n = 2; taken.has(name); n++) name = `home-${n}`
  return {
    ...starter,
    requests: [{ name, method: 'GET', path: '/', weight: 1, comment: 'a placeholder: nothing read-only was found, and a scenario must send something; replace it' }],
    shadow: [name]
  }
}
