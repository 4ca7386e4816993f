import type { Document, LineCounter } from 'yaml'
import { CutoverError, type ScenarioIssue, type SourceLocation } from '../core/errors.js'
import { defaultTimeoutMs, type CompiledRequest, type HookChoice } from './compiled.js'
import { compileExpectation } from './expectations.js'
import { locate, locateWithin } from './locate.js'
import type { ScenarioConfig } from './schema/scenario.js'
import { compileTemplate, TemplateError, type CompiledTemplate, type RenderContext, type TemplateScope, type TemplateValue } from './templates.js'

/** Collects template problems with their location instead of stopping at the first. */
export class TemplateCompiler {
  readonly issues: ScenarioIssue[] = []

  constructor (private readonly file: string, private readonly doc: Document, private readonly lines: LineCounter) {}

  /** Compiles `text` found at `path`; on error records an issue and returns a constant template. */
  compile (text: string, path: PropertyKey[], scope: TemplateScope): CompiledTemplate {
    try {
      return compileTemplate(text, scope)
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error
      this.issues.push({ location: locateWithin(this.file, this.doc, this.lines, path, error.offset), message: `template ${error.message}` })
      return { render: () => text, renderValue: () => text, constant: true }
    }
  }

  /** Compiles every string in a JSON value; strings that are exactly one template keep their type. */
  compileJson (value: unknown, path: PropertyKey[], scope: TemplateScope): (ctx: RenderContext) => unknown {
    if (typeof value === 'string') {
      const template = this.compile(value, path, scope)
      return template.constant ? () => value : template.renderValue
    }
    if (Array.isArray(value)) {
      const items = value.map((item, index) => this.compileJson(item, [...path, index], scope))
      return (ctx) => items.map((item) => item(ctx))
    }
    if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value).map(([key, item]) => [key, this.compileJson(item, [...path, key], scope)] as const)
      return (ctx) => {
        const out: Record<string, unknown> = {}
        for (const [key, render] of entries) out[key] = render(ctx)
        return out
      }
    }
    return () => value
  }

  /** Where `path` is in the file. */
  locate (path: PropertyKey[]): SourceLocation {
    return locate(this.file, this.doc, this.lines, path)
  }

  /** Throws one CutoverError holding every problem found. */
  throwIfAny (): void {
    if (this.issues.length > 0) {
      throw new CutoverError('TEMPLATE', `${this.issues.length} problem(s) in templates`, { issues: this.issues })
    }
  }
}

type RequestLike = {
  method?: string | undefined
  path: string
  headers?: Record<string, string> | undefined
  body?: string | undefined
  json?: unknown
  timeout?: number | undefined
  expect?: Record<string, unknown> | undefined
  allowMutating?: boolean | undefined
  beforeRequest?: string | false | undefined
  afterResponse?: string | false | undefined
}

/** Compiles one request (named, or an inline journey step) found at `path` in the file. */
export function compileRequest (compiler: TemplateCompiler, request: RequestLike, name: string, weight: number, path: PropertyKey[], scope: TemplateScope): CompiledRequest {
  const headers = Object.entries(request.headers ?? {}).map(([header, value]) =>
    [header.toLowerCase(), compiler.compile(value, [...path, 'headers', header], scope)] as [string, CompiledTemplate])
  let body: CompiledRequest['body']
  let contentType: string | undefined
  if (request.json !== undefined) {
    const render = compiler.compileJson(request.json, [...path, 'json'], scope)
    body = (ctx) => JSON.stringify(render(ctx))
    contentType = 'application/json'
  } else if (request.body !== undefined) {
    const template = compiler.compile(request.body, [...path, 'body'], scope)
    body = template.render
  }
  return {
    name,
    weight,
    method: request.method ?? (body === undefined ? 'GET' : 'POST'),
    path: compiler.compile(request.path, [...path, 'path'], scope),
    headers,
    body,
    contentType,
    timeoutMs: request.timeout ?? defaultTimeoutMs,
    expect: compileExpectation(request.expect),
    allowMutating: request.allowMutating ?? false,
    hookChoice: {
      ...(request.beforeRequest === undefined ? {} : { before: { name: request.beforeRequest, location: compiler.locate([...path, 'beforeRequest']) } satisfies HookChoice }),
      ...(request.afterResponse === undefined ? {} : { after: { name: request.afterResponse, location: compiler.locate([...path, 'afterResponse']) } satisfies HookChoice })
    },
    hooks: undefined
  }
}

/** Compiles the scenario's named requests. */
export function compileRequests (compiler: TemplateCompiler, config: ScenarioConfig, scope: TemplateScope): CompiledRequest[] {
  return (config.requests ?? []).map((request, index) =>
    compileRequest(compiler, request, request.name, request.weight ?? 1, ['requests', index], scope))
}

/** Renders a template that may only use env (target URLs, start env). */
export function renderStatic (compiler: TemplateCompiler, text: string, path: PropertyKey[], env: (name: string) => string | undefined): string {
  const template = compiler.compile(text, path, { dataSources: new Set(), variables: new Set(), dynamic: false })
  const value: TemplateValue = template.render({ random: Math.random, env, row: () => ({}), vars: {}, next: () => 0 })
  return String(value)
}
