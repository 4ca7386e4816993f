import { z } from 'zod'
import { targetSchema } from './targets.js'
import { requestSchema } from './requests.js'
import { phaseSchema } from './phases.js'
import { journeySchema } from './journeys.js'
import { proxySchema } from './proxy.js'
import { checksSchema } from './checks.js'
import { capacitySchema, dataSourceSchema, samplingSchema, settleSchema, shadowSchema } from './extras.js'

const targetName = /^[A-Za-z][A-Za-z0-9_-]*$/

/** The whole scenario file. */
export const scenarioSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected a name of letters, digits, dot, dash or underscore'),
  description: z.string().optional(),
  targets: z.record(z.string().regex(targetName, 'expected a target name of letters, digits, - or _'), targetSchema),
  requests: z.array(requestSchema).optional(),
  journeys: z.array(journeySchema).optional(),
  phases: z.array(phaseSchema).min(1),
  data: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a data source name usable in templates'), dataSourceSchema).optional(),
  sampling: samplingSchema.optional(),
  checks: checksSchema.optional(),
  capacity: capacitySchema.optional(),
  settle: settleSchema.optional().describe('Used by `cutover run --until-settled` (and turns it on): add rounds until old vs new settles'),
  shadow: shadowSchema.optional(),
  proxy: proxySchema.optional().describe('Used by `cutover proxy`: the proxy in front of targets old and new'),
  hooks: z.string().min(1).optional().describe('A JavaScript or TypeScript module (relative to the scenario) exporting beforeRequest, afterResponse, setup and teardown; its code runs with your rights'),
  workers: z.union([z.literal('auto'), z.number().int().min(1).max(256)], { error: 'expected a number of worker threads from 1 to 256, or auto' }).optional()
    .describe('Worker threads that send the load (`cutover run --workers`); auto: the cores not taken by services cutover starts')
}).superRefine((scenario, ctx) => {
  const targetCount = Object.keys(scenario.targets).length
  if (targetCount === 0) ctx.addIssue({ code: 'custom', path: ['targets'], message: 'a scenario needs at least one target' })
  const requests = scenario.requests ?? []
  if (requests.length === 0 && (scenario.journeys ?? []).length === 0) {
    ctx.addIssue({ code: 'custom', path: ['requests'], message: 'a scenario needs at least one request or journey' })
  }
  const names = new Set<string>()
  requests.forEach((request, index) => {
    if (names.has(request.name)) ctx.addIssue({ code: 'custom', path: ['requests', index, 'name'], message: `request name "${request.name}" is used twice` })
    names.add(request.name)
    if (request.body !== undefined && request.json !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['requests', index], message: 'a request has `body` or `json`, not both' })
    }
  })
  const totalWeight = requests.reduce((sum, r) => sum + (r.weight ?? 1), 0) +
    (scenario.journeys ?? []).reduce((sum, j) => sum + (j.weight ?? 1), 0)
  if (totalWeight <= 0) ctx.addIssue({ code: 'custom', path: ['requests'], message: 'the weights of the mix add up to 0: nothing would be sent' })
  scenario.journeys?.forEach((journey, j) => {
    journey.steps.forEach((step, s) => {
      if ('request' in step && !names.has(step.request)) {
        ctx.addIssue({ code: 'custom', path: ['journeys', j, 'steps', s, 'request'], message: unknownName('request', step.request, names) })
      }
    })
  })
  scenario.shadow?.requests?.forEach((name, index) => {
    if (!names.has(name)) ctx.addIssue({ code: 'custom', path: ['shadow', 'requests', index], message: unknownName('request', name, names) })
  })
  const phaseNames = new Set<string>()
  scenario.phases.forEach((phase, index) => {
    if (phaseNames.has(phase.name)) ctx.addIssue({ code: 'custom', path: ['phases', index, 'name'], message: `phase name "${phase.name}" is used twice` })
    phaseNames.add(phase.name)
  })
  const settlePhase = scenario.settle?.phase
  if (settlePhase !== undefined && !phaseNames.has(settlePhase)) ctx.addIssue({ code: 'custom', path: ['settle', 'phase'], message: unknownName('phase', settlePhase, phaseNames) })
})

function unknownName (kind: string, name: string, known: Set<string>): string {
  const list = [...known].map((n) => `"${n}"`).join(', ')
  return `unknown ${kind} "${name}"` + (list === '' ? '' : `; known: ${list}`)
}

/** A scenario after validation, with units turned into numbers (ms, bytes, fractions). */
export type ScenarioConfig = z.output<typeof scenarioSchema>
/** A scenario as written in the file. */
export type ScenarioInput = z.input<typeof scenarioSchema>
