import type { CompiledTemplate, RenderContext } from './templates.js'
import type { Expectation } from './expectations.js'

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
}

/** Default per-request timeout. */
export const defaultTimeoutMs = 10_000
