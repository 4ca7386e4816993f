/**
 * Loads a scenario's hooks module (`hooks: ./hooks.mjs`, or the functions a scenario in code gives inline) and binds
 * its functions to the requests that use them. A request uses the module's `beforeRequest` and `afterResponse`
 * exports unless it names another export or `false`; a request without hooks stays as cheap as before.
 */
import { CutoverError, type ScenarioIssue, type SourceLocation } from '../core/errors.js'
import type { CompiledRequest, HookChoice } from './compiled.js'
import type { AfterResponseHook, BeforeRequestHook, ScenarioHooks, SetupHook, TeardownHook } from './hook-types.js'
import { importModule } from './import-module.js'

/** The run-wide hooks: once before the load and once after it. */
export interface ScenarioLifecycle {
  setup: SetupHook | undefined
  teardown: TeardownHook | undefined
}

/** Where the hooks come from: a module file named in the scenario, or functions given inline by a scenario in code. */
export type HooksSource =
  | { kind: 'module', file: string, location: SourceLocation }
  | { kind: 'inline', hooks: ScenarioHooks, location: SourceLocation }

/** What binding needs of a loaded scenario. */
export interface HookedScenario {
  requests: CompiledRequest[]
  journeys: ReadonlyArray<{ requestSteps: ReadonlyArray<{ request: CompiledRequest }> }>
  hooksSource: HooksSource | undefined
}

/** Every request a run can send: the named ones and the inline steps of journeys, each once. */
function allRequests (scenario: HookedScenario): CompiledRequest[] {
  const all = new Set(scenario.requests)
  for (const journey of scenario.journeys) for (const step of journey.requestSteps) all.add(step.request)
  return [...all]
}

/** True when some request of the scenario runs a hook. */
export function usesHooks (scenario: HookedScenario): boolean {
  return allRequests(scenario).some((request) => request.hooks !== undefined)
}

async function exportsOf (source: HooksSource): Promise<Record<string, unknown>> {
  if (source.kind === 'inline') return source.hooks
  try {
    return await importModule(source.file)
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] ?? error.message : String(error)
    throw new CutoverError('SCENARIO_CODE', `the hooks module ${source.file} cannot be loaded: ${message}`, {
      issues: [{ location: source.location, message: `cannot be loaded: ${message}` }],
      hint: 'the hooks module is imported as JavaScript or TypeScript; fix the error above, or run it with node to see it whole'
    })
  }
}

/** Binds hooks to the scenario's requests; returns setup and teardown. Throws a located CutoverError for a hook that does not exist. */
export async function bindHooks (scenario: HookedScenario): Promise<ScenarioLifecycle> {
  const requests = allRequests(scenario)
  const source = scenario.hooksSource
  const issues: ScenarioIssue[] = []
  if (source === undefined) {
    for (const request of requests) {
      for (const choice of [request.hookChoice.before, request.hookChoice.after]) {
        if (choice !== undefined && choice.name !== false) issues.push({ location: choice.location, message: `"${choice.name}" names a hook, but the scenario has no hooks module; add hooks: ./hooks.mjs at the top` })
      }
    }
    if (issues.length > 0) throw new CutoverError('SCENARIO_INVALID', 'the scenario names hooks it does not have', { issues })
    return { setup: undefined, teardown: undefined }
  }
  const exported = await exportsOf(source)
  const functionOf = (choice: HookChoice | undefined, fallback: string): ((...args: never[]) => unknown) | undefined => {
    const name = choice === undefined ? fallback : choice.name
    if (name === false) return undefined
    const value = Object.hasOwn(exported, name) ? exported[name] : undefined
    if (typeof value === 'function') return value as (...args: never[]) => unknown
    if (choice !== undefined || value !== undefined) {
      const functions = Object.keys(exported).filter((key) => typeof exported[key] === 'function')
      issues.push({
        location: choice?.location ?? source.location,
        message: value === undefined
          ? `the hooks module has no function "${name}"${functions.length === 0 ? '' : `; it has ${functions.map((key) => `"${key}"`).join(', ')}`}`
          : `"${name}" in the hooks module is a ${typeof value}, not a function`
      })
    }
    return undefined
  }
  for (const request of requests) {
    const before = functionOf(request.hookChoice.before, 'beforeRequest') as BeforeRequestHook | undefined
    const after = functionOf(request.hookChoice.after, 'afterResponse') as AfterResponseHook | undefined
    request.hooks = before === undefined && after === undefined ? undefined : { before, after }
  }
  const setup = functionOf(undefined, 'setup') as SetupHook | undefined
  const teardown = functionOf(undefined, 'teardown') as TeardownHook | undefined
  if (issues.length > 0) throw new CutoverError('SCENARIO_INVALID', 'the scenario\'s hooks do not match its hooks module', { issues: dedupe(issues) })
  return { setup, teardown }
}

/** One issue per place and message: a missing default hook is reported once, not once per request. */
function dedupe (issues: ScenarioIssue[]): ScenarioIssue[] {
  const seen = new Set<string>()
  return issues.filter((issue) => {
    const key = `${issue.location.line ?? ''}:${issue.location.column ?? ''}:${issue.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
