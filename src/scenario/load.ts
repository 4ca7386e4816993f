import { readFileSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { LineCounter, parseDocument, type Document } from 'yaml'
import { CutoverError, type ScenarioIssue } from '../core/errors.js'
import { findAliasCycle } from './alias-cycles.js'
import type { CompiledRequest } from './compiled.js'
import { compileRequests, renderStatic, TemplateCompiler } from './compile-requests.js'
import { checkExpectPaths, compileJourneys, type CompiledJourney } from './compile-journeys.js'
import { readDataSource, type DataSource } from './data-files.js'
import { toScenarioIssues } from './issues.js'
import { formatFieldPath, locate, positionOf } from './locate.js'
import { scenarioSchema, type ScenarioConfig } from './schema/scenario.js'
import { keyProblems } from './yaml-keys.js'
import type { HooksSource, ScenarioLifecycle } from './bind-hooks.js'
import { applyOverrides, describeOverride, type ScenarioOverride } from './overrides.js'

/** A scenario ready to run: validated settings, compiled requests, data rows and resolved target URLs. */
export interface LoadedScenario {
  /** Absolute path of the file. */
  file: string
  /** Folder relative paths in the scenario are resolved against. */
  dir: string
  config: ScenarioConfig
  requests: CompiledRequest[]
  /** Compiled journeys, weighted together with `requests`. */
  journeys: CompiledJourney[]
  data: Map<string, DataSource>
  /** Target URLs and start env with their `{{ env(...) }}` templates rendered. */
  targets: Record<string, { url: URL, env: Record<string, string> }>
  /** The hooks module the scenario names (or a scenario in code gives inline); undefined without hooks. */
  hooksSource: HooksSource | undefined
  /** setup and teardown, once the hooks are bound (openScenario does it; loadScenario leaves it unset). */
  lifecycle?: ScenarioLifecycle
  /** `--set` and `--url`, applied before validation, as `path=value`; recorded in run.json and result.json. */
  overrides: string[]
  /** The same overrides as parsed, to apply again where the scenario is opened again (worker threads). */
  overrideFlags: ScenarioOverride[]
  /** The scenario as cutover read it, when it did not come from a YAML or JSON file (a scenario in code, an object, stdin). */
  text?: string
}

/** Largest scenario file accepted; bigger ones are almost certainly a mistake. */
export const maxScenarioBytes = 5 * 1024 * 1024

/** Options for loading. */
export interface LoadOptions {
  env?: Record<string, string | undefined>
  /** `--set path=value` and `--url name=URL`, applied to the scenario before it is validated. */
  overrides?: ScenarioOverride[]
}

/** Reads, parses and validates a YAML or JSON scenario; throws CutoverError with every problem located. */
export function loadScenario (path: string, options: LoadOptions = {}): LoadedScenario {
  const file = resolve(path)
  let size: number
  try {
    const stats = statSync(file)
    if (!stats.isFile()) throw new Error('not a file')
    size = stats.size
  } catch {
    throw new CutoverError('SCENARIO_NOT_FOUND', `scenario file not found: ${path}`, { hint: 'pass the path of a .yaml, .yml or .json scenario' })
  }
  if (size > maxScenarioBytes) {
    throw new CutoverError('SCENARIO_TOO_LARGE', `${path} is ${(size / 1e6).toFixed(1)} MB; scenarios are limited to 5 MB`, { hint: 'put large inputs in data files (data:) instead' })
  }
  return parseScenario(readFileSync(file, 'utf8'), file, options)
}

/** Parses scenario text; `file` is used for locations and to resolve relative paths. */
export function parseScenario (text: string, file: string, options: LoadOptions = {}): LoadedScenario {
  const env = options.env ?? process.env
  const lines = new LineCounter()
  let doc: Document
  try {
    // unique keys are checked by keyProblems: yaml's own check is quadratic in the number of keys
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false })
  } catch (error) {
    // yaml's parser recurses per nesting level; block lists nested thousands deep overflow the stack
    const message = `cannot be parsed: ${error instanceof Error ? error.message : String(error)}`
    throw new CutoverError('SCENARIO_SYNTAX', `${file} ${message}`, { issues: [{ location: { file, line: 1, column: 1 }, message }] })
  }
  const problems: Array<{ offset: number, message: string, path?: PropertyKey[] }> = [...doc.errors.map((error) => ({ offset: error.pos[0], message: error.message.split('\n')[0] ?? error.message })), ...keyProblems(doc)]
  if (problems.length > 0) {
    const issues = problems.sort((a, b) => a.offset - b.offset).map(({ offset, message, path }) => {
      const { line, column } = positionOf(lines, offset)
      return { location: { file, line, column, ...(path === undefined ? {} : { field: formatFieldPath(path) }) }, message }
    })
    throw new CutoverError('SCENARIO_SYNTAX', `${file} is not valid YAML or JSON`, { issues })
  }
  let data: unknown
  try {
    data = doc.toJS({ maxAliasCount: 100 })
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new CutoverError('SCENARIO_SYNTAX', `${file} cannot be read: ${message}`, { issues: [{ location: { file, line: 1, column: 1 }, message }] })
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new CutoverError('SCENARIO_INVALID', `${file} must hold a mapping with name, targets, requests and phases`, {
      issues: [{ location: { file, line: 1, column: 1, field: '' }, message: 'expected a mapping with name, targets, requests and phases' }]
    })
  }
  const overrides = options.overrides ?? []
  applyOverrides(data as Record<string, unknown>, overrides)
  const cycle = findAliasCycle(data)
  if (cycle !== undefined) {
    const message = 'this alias refers to a mapping or list that contains it, so it would repeat forever'
    throw new CutoverError('SCENARIO_SYNTAX', `${file} has an alias inside the node it refers to`, { issues: [{ location: locate(file, doc, lines, cycle), message }] })
  }
  const result = scenarioSchema.safeParse(data)
  if (!result.success) {
    const issues = toScenarioIssues(file, doc, lines, scenarioSchema, data, result.error.issues)
    throw new CutoverError('SCENARIO_INVALID', `${file} is not a valid scenario`, { issues: markOverridden(issues, overrides) })
  }
  const config = result.data
  const dir = dirname(file)
  const sources = new Map<string, DataSource>()
  for (const [name, source] of Object.entries(config.data ?? {})) {
    sources.set(name, readDataSource(name, source.file, source.order ?? 'random', dir, locate(file, doc, lines, ['data', name, 'file'])))
  }
  const compiler = new TemplateCompiler(file, doc, lines)
  // own variables only: `{{ env.constructor }}` must not find Object.prototype.constructor
  const readEnv = (name: string): string | undefined => Object.hasOwn(env, name) ? env[name] : undefined
  const targets: LoadedScenario['targets'] = {}
  const folderIssues: ScenarioIssue[] = []
  for (const [name, target] of Object.entries(config.targets)) {
    const urlText = renderStatic(compiler, target.url, ['targets', name, 'url'], readEnv)
    const startEnv: Record<string, string> = {}
    for (const [key, value] of Object.entries(target.start?.env ?? {})) {
      startEnv[key] = renderStatic(compiler, value, ['targets', name, 'start', 'env', key], readEnv)
    }
    let url: URL | undefined
    try {
      url = new URL(urlText)
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http')
    } catch {
      compiler.issues.push({ location: locate(file, doc, lines, ['targets', name, 'url']), message: `expected an http:// or https:// URL, got ${JSON.stringify(urlText)}` })
    }
    if (url !== undefined) targets[name] = { url, env: startEnv }
    const cwd = target.start?.cwd
    if (cwd !== undefined && !isFolder(resolve(dir, cwd))) {
      folderIssues.push({ location: locate(file, doc, lines, ['targets', name, 'start', 'cwd']), message: `start.cwd "${cwd}" is not a folder (looked at ${resolve(dir, cwd)}); a relative path is taken from the scenario's folder` })
    }
  }
  let hooksSource: HooksSource | undefined
  if (config.hooks !== undefined) {
    const hooksFile = resolve(dir, config.hooks)
    const location = locate(file, doc, lines, ['hooks'])
    if (!isFile(hooksFile)) folderIssues.push({ location, message: `hooks "${config.hooks}" is not a file (looked at ${hooksFile}); a relative path is taken from the scenario's folder` })
    else hooksSource = { kind: 'module', file: hooksFile, location }
  }
  if (folderIssues.length > 0) throw new CutoverError('SCENARIO_INVALID', `${file} is not a valid scenario`, { issues: folderIssues })
  const scope = { dataSources: new Set(sources.keys()), variables: new Set<string>(), dynamic: true }
  const requests = compileRequests(compiler, config, scope)
  const at = (path: PropertyKey[], key?: string) => locate(file, doc, lines, path, key)
  config.requests?.forEach((request, index) => { checkExpectPaths(compiler, at, request.expect, ['requests', index]) })
  const journeys = compileJourneys(compiler, config, scope, requests, at)
  compiler.issues.sort((a, b) => (a.location.line ?? 0) - (b.location.line ?? 0) || (a.location.column ?? 0) - (b.location.column ?? 0))
  compiler.throwIfAny()
  return { file, dir, config, requests, journeys, data: sources, targets, hooksSource, overrides: overrides.map(describeOverride), overrideFlags: overrides }
}

/** Says which issues are on a field `--set` or `--url` gave, as the file's line shows the value it replaced. */
function markOverridden (issues: ScenarioIssue[], overrides: readonly ScenarioOverride[]): ScenarioIssue[] {
  if (overrides.length === 0) return issues
  return issues.map((issue) => {
    const field = issue.location.field ?? ''
    const override = overrides.find((entry) => entry.field !== undefined && (field === entry.field || field.startsWith(`${entry.field}.`) || field.startsWith(`${entry.field}[`)))
    return override === undefined ? issue : { ...issue, message: `${issue.message} (the value comes from ${override.flag})` }
  })
}

/** True when `path` is an existing file. */
function isFile (path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/** True when `path` is an existing folder. */
function isFolder (path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}
