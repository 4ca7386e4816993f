import type { CompiledTemplate, RenderContext } from './templates.js'
import type { Expectation } from './expectations.js'
import type { SourceLocation } from '../core/errors.js'
import type { RequestHooks } from './hook-types.js'

/** A request's own choice of hook: the name of an export of the hooks module, or false for none; where it is written. */
export interface HookChoice {
  name: string | false
  location: SourceLocation
}

/** A request of the mix, ready to render and send. */
export interface CompiledRequest {
  name: string
  weight: number
  method: string
  path: CompiledTemplate
  headers: Array<[name: string, value: CompiledTemplate]>
  /** Renders the body, or undefined for none. */
  body: ((ctx: RenderContext) => string) | undefined
  contentType: string | undefined
  timeoutMs: number
  expect: Expectation
  allowMutating: boolean
  /** `beforeRequest:` / `afterResponse:` as the request sets them; unset means the module's default export of that name. */
  hookChoice: { before?: HookChoice, after?: HookChoice }
  /** The functions bound to this request once the hooks module is loaded; undefined when it has none (most requests). */
  hooks: RequestHooks | undefined
}

/** Default per-request timeout. */
export const defaultTimeoutMs = 10_000
