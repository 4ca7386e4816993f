import type { SourceLocation } from '../core/errors.js'
import type { CompiledRequest } from './compiled.js'
import { compileRequest, type TemplateCompiler } from './compile-requests.js'
import { compileExpectation } from './expectations.js'
import { jsonPathProblem } from './jsonpath-syntax.js'
import type { ScenarioConfig } from './schema/scenario.js'
import type { TemplateScope } from './templates.js'

/** Where a captured value comes from. */
export type CaptureSource =
  | { kind: 'json', path: string }
  | { kind: 'header', name: string }
  | { kind: 'regex', pattern: RegExp }

/** One `capture` entry: a variable and where its value is read. */
export interface Capture {
  variable: string
  /** As written: `$.id`, `header:Location`, `regex:id=(\d+)`. */
  text: string
  source: CaptureSource
}

/** A step that sends a request. */
export interface JourneyRequestStep {
  kind: 'request'
  /** The step's name: its `name`, the named request, or `METHOD path`. */
  name: string
  request: CompiledRequest
  captures: Capture[]
  /** True when the body must be read for an expectation or a capture. */
  needsBody: boolean
}

/** A `think` pause. */
export interface JourneyThinkStep {
  kind: 'think'
  ms: number
}

export type JourneyStep = JourneyRequestStep | JourneyThinkStep

/** A journey ready to run. */
export interface CompiledJourney {
  name: string
  weight: number
  steps: JourneyStep[]
  /** The request steps alone, in order (what is measured). */
  requestSteps: JourneyRequestStep[]
}

/** Locates a field of the scenario file (or an unknown `key` inside it). */
export type Locator = (path: PropertyKey[], key?: string) => SourceLocation

/** Parses a capture as written; a string problem when it is not `$.path`, `header:Name` or `regex:pattern`. */
export function parseCapture (text: string): CaptureSource | string {
  if (text.startsWith('$')) {
    const problem = jsonPathProblem(text)
    return problem === undefined ? { kind: 'json', path: text } : `capture "${text}" is not valid JSONPath: ${problem}`
  }
  if (text.startsWith('header:')) {
    const name = text.slice('header:'.length).trim().toLowerCase()
    return name === '' ? 'capture "header:" needs a header name, such as header:Location' : { kind: 'header', name }
  }
  if (text.startsWith('regex:')) {
    try {
      return { kind: 'regex', pattern: new RegExp(text.slice('regex:'.length)) }
    } catch (error) {
      return `capture "${text}" is not a valid regular expression: ${error instanceof Error ? error.message : String(error)}`
    }
  }
  return `capture "${text}" must be a JSONPath ("$.id"), "header:Name" or "regex:pattern(with group)"`
}

/** Records an issue for every `$` key of `expect` that is not valid JSONPath. */
export function checkExpectPaths (compiler: TemplateCompiler, locate: Locator, expect: Record<string, unknown> | undefined, path: PropertyKey[]): void {
  for (const key of Object.keys(expect ?? {})) {
    if (!key.startsWith('$')) continue
    const problem = jsonPathProblem(key)
    if (problem !== undefined) compiler.issues.push({ location: locate([...path, 'expect'], key), message: `expectation "${key}" is not valid JSONPath: ${problem}` })
  }
}

const unknownName = /^template unknown name "([^".]+)"/

/** Compiles the scenario's journeys against its compiled named requests; problems go to `compiler`. */
export function compileJourneys (compiler: TemplateCompiler, config: ScenarioConfig, scope: TemplateScope, requests: CompiledRequest[], locate: Locator): CompiledJourney[] {
  const byName = new Map(requests.map((request) => [request.name, request]))
  return (config.journeys ?? []).map((journey, j) => {
    const defined = new Set<string>()
    const capturedAt = new Map<string, number>()
    journey.steps.forEach((step, s) => {
      if ('capture' in step) for (const variable of Object.keys(step.capture ?? {})) if (!capturedAt.has(variable)) capturedAt.set(variable, s)
    })
    const steps: JourneyStep[] = []
    const used = new Map<string, number>()
    journey.steps.forEach((step, s) => {
      const path: PropertyKey[] = ['journeys', j, 'steps', s]
      if ('think' in step) {
        steps.push({ kind: 'think', ms: step.think })
        return
      }
      let request: CompiledRequest
      let name: string
      if ('request' in step) {
        const named = byName.get(step.request)
        if (named === undefined) return // reported by the schema
        checkExpectPaths(compiler, locate, step.expect, path)
        request = step.expect === undefined ? named : { ...named, expect: compileExpectation(step.expect) }
        name = step.name ?? step.request
      } else {
        const before = compiler.issues.length
        request = compileRequest(compiler, step, step.name ?? `${(step.method ?? 'GET')} ${step.path}`, 1, path, { ...scope, variables: new Set(defined) })
        for (const issue of compiler.issues.slice(before)) {
          const variable = unknownName.exec(issue.message)?.[1]
          if (variable === undefined || variable === 'env' || scope.dataSources.has(variable)) continue
          const later = capturedAt.get(variable)
          issue.message = `"${variable}" is used here but no earlier step of journey "${journey.name}" captures it` +
            (later === undefined ? '' : ` (step ${later + 1} captures it: move the capture before its use)`)
        }
        checkExpectPaths(compiler, locate, step.expect, path)
        name = step.name ?? `${request.method} ${step.path}`
      }
      const count = (used.get(name) ?? 0) + 1
      used.set(name, count)
      if (count > 1) name = `${name} #${count}`
      const captures: Capture[] = []
      for (const [variable, text] of Object.entries(step.capture ?? {})) {
        const source = parseCapture(text)
        if (typeof source === 'string') {
          compiler.issues.push({ location: locate([...path, 'capture', variable]), message: source })
          continue
        }
        captures.push({ variable, text, source })
      }
      for (const capture of captures) defined.add(capture.variable)
      const needsBody = request.expect.needsBody || captures.some((capture) => capture.source.kind !== 'header')
      steps.push({ kind: 'request', name, request, captures, needsBody })
    })
    return { name: journey.name, weight: journey.weight ?? 1, steps, requestSteps: steps.filter((step): step is JourneyRequestStep => step.kind === 'request') }
  })
}
