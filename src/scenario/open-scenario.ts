/**
 * Opens a scenario of any kind, ready to run: YAML or JSON (with its `hooks:` module bound), or a module in
 * TypeScript or JavaScript whose default export is `defineScenario({...})`. A scenario in code is validated exactly as
 * a file would be (it is turned into JSON first); its problems name the file and the field, as line numbers of the
 * generated JSON would mean nothing to its author.
 */
import { statSync } from 'node:fs'
import { resolve } from 'node:path'
import { CutoverError } from '../core/errors.js'
import { bindHooks, type HooksSource } from './bind-hooks.js'
import type { ScenarioHooks } from './hook-types.js'
import { importModule, isCodeFile } from './import-module.js'
import { loadScenario, parseScenario, type LoadedScenario, type LoadOptions } from './load.js'
import { thrownMessage } from '../core/thrown-message.js'

/** How a worker thread (or anything else) opens the same scenario again. */
export type ScenarioSource =
  | { kind: 'file', file: string }
  | { kind: 'text', text: string, file: string }

/** Opens the scenario at `path` (YAML, JSON, or code) and binds its hooks. */
export async function openScenario (path: string, options: LoadOptions = {}): Promise<LoadedScenario> {
  if (!isCodeFile(path)) {
    const loaded = loadScenario(path, options)
    loaded.lifecycle = await bindHooks(loaded)
    return loaded
  }
  const loaded = await loadScenarioModule(path, options)
  loaded.lifecycle = await fieldsOnly(() => bindHooks(loaded), loaded.file)
  return loaded
}

/** Opens a scenario object (from code, or stdin's text): validated as `file` would be; `hooks` may hold functions. */
export async function openScenarioObject (input: Record<string, unknown>, file: string, options: LoadOptions = {}): Promise<LoadedScenario> {
  const { hooks, rest } = splitHooks(input)
  const text = JSON.stringify(rest, null, 2)
  const loaded = await fieldsOnly(async () => parseScenario(text, file, options), file)
  loaded.text = text
  if (hooks !== undefined) loaded.hooksSource = inlineSource(hooks, file)
  loaded.lifecycle = await fieldsOnly(() => bindHooks(loaded), file)
  return loaded
}

/** Opens the scenario a {@link ScenarioSource} names again (a worker thread does, with the main thread's overrides). */
export async function reopenScenario (source: ScenarioSource, options: LoadOptions): Promise<LoadedScenario> {
  if (source.kind === 'file') return await openScenario(source.file, options)
  const loaded = parseScenario(source.text, source.file, options)
  loaded.lifecycle = await bindHooks(loaded)
  return loaded
}

/** How to open `scenario` again; refuses inline hook functions, which cannot leave this thread. */
export function sourceOf (scenario: LoadedScenario): ScenarioSource {
  if (scenario.text === undefined || isCodeFile(scenario.file)) return { kind: 'file', file: scenario.file }
  if (scenario.hooksSource?.kind === 'inline') {
    throw new CutoverError('USAGE', 'a scenario object with hook functions cannot run in worker threads: functions do not pass between threads', { hint: 'put the hooks in a module and name it (hooks: \'./hooks.mjs\'), or write the scenario in a file, or run with one worker' })
  }
  return { kind: 'text', text: scenario.text, file: scenario.file }
}

/** Imports a scenario module and opens its default export (or its `scenario` export). */
async function loadScenarioModule (path: string, options: LoadOptions): Promise<LoadedScenario> {
  const file = resolve(path)
  try {
    if (!statSync(file).isFile()) throw new Error('not a file')
  } catch {
    throw new CutoverError('SCENARIO_NOT_FOUND', `scenario file not found: ${path}`, { hint: 'pass the path of a .yaml, .json, .ts, .js or .mjs scenario' })
  }
  let exported: Record<string, unknown>
  try {
    exported = await importModule(file)
  } catch (error) {
    const message = thrownMessage(error).split('\n')[0] ?? ''
    throw new CutoverError('SCENARIO_CODE', `${file} cannot be loaded: ${message}`, {
      issues: [{ location: { file }, message: `cannot be loaded: ${message}` }],
      hint: 'a scenario in code is imported as a module; run it with node (or tsx) to see the error whole'
    })
  }
  const scenario = exported.default !== undefined && isScenarioLike(exported.default) ? exported.default : exported.scenario
  if (!isScenarioLike(scenario)) {
    throw new CutoverError('SCENARIO_INVALID', `${file} does not export a scenario`, {
      issues: [{ location: { file, field: 'default' }, message: 'expected `export default defineScenario({ name, targets, requests, phases })`' }],
      hint: 'import { defineScenario } from \'cutover\' and export its result as the default export'
    })
  }
  const { hooks, rest } = splitHooks(scenario)
  const text = JSON.stringify(rest, null, 2)
  const loaded = await fieldsOnly(async () => parseScenario(text, file, options), file)
  loaded.text = text
  if (hooks !== undefined) loaded.hooksSource = inlineSource(hooks, file)
  return loaded
}

function isScenarioLike (value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** Hook functions given inline (`hooks: { beforeRequest }`) apart from what JSON can hold; a `hooks:` path stays in. */
function splitHooks (input: Record<string, unknown>): { hooks: ScenarioHooks | undefined, rest: Record<string, unknown> } {
  const { hooks, ...rest } = input
  if (hooks !== null && typeof hooks === 'object') return { hooks: hooks as ScenarioHooks, rest }
  return { hooks: undefined, rest: input }
}

function inlineSource (hooks: ScenarioHooks, file: string): HooksSource {
  return { kind: 'inline', hooks, location: { file, field: 'hooks' } }
}

/** Runs `load`; its problems keep the file and field but lose the line and column of the JSON the author never saw. */
async function fieldsOnly<T> (load: () => Promise<T>, file: string): Promise<T> {
  try {
    return await load()
  } catch (error) {
    if (!(error instanceof CutoverError) || error.issues.length === 0) throw error
    const issues = error.issues.map((issue) => ({ ...issue, location: { file, ...(issue.location.field === undefined ? {} : { field: issue.location.field }) } }))
    throw new CutoverError(error.code, error.message, { issues, ...(error.hint === undefined ? {} : { hint: error.hint }) })
  }
}
