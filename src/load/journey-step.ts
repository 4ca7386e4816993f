import { performance } from 'node:perf_hooks'
import { JSONPath } from 'jsonpath-plus'
import type { Dispatcher } from 'undici'
import type { Capture } from '../scenario/compile-journeys.js'
import type { CompiledRequest } from '../scenario/compiled.js'
import { checkResponse, failureKind } from '../scenario/expectations.js'
import { maxCheckedBodyBytes } from './response-body.js'
import { errorKind } from './error-kind.js'
import type { RenderedRequest } from './request-mix.js'
import type { HookContext } from '../scenario/hook-types.js'
import { afterResponse, beforeRequest, HookFailure } from './run-hooks.js'

/** A response as a journey step needs it. */
export interface StepResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  /** Undefined when the body was not needed. */
  body: string | undefined
}

/** Sends `request` on `dispatcher`; reads the body (up to 1 MB) only when `readBody`. */
export async function sendRequest (dispatcher: Dispatcher, request: RenderedRequest, readBody: boolean, signal?: AbortSignal): Promise<StepResponse> {
  const response = await dispatcher.request({
    path: request.path,
    method: request.method as Dispatcher.HttpMethod,
    headers: request.headers,
    body: request.body,
    headersTimeout: request.spec.timeoutMs,
    bodyTimeout: request.spec.timeoutMs,
    ...(signal === undefined ? {} : { signal })
  })
  if (!readBody) {
    await response.body.dump()
    return { status: response.statusCode, headers: response.headers, body: undefined }
  }
  const chunks: Buffer[] = []
  let bytes = 0
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    if (bytes < maxCheckedBodyBytes) chunks.push(chunk)
    bytes += chunk.length
  }
  return { status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }
}

/** How one request of a journey (or a single request) ended. */
export interface StepOutcome {
  /** Undefined when no response came (refused, reset, timeout). */
  status: number | undefined
  /** From the intended start; undefined for errors other than timeouts. */
  latencyMs: number | undefined
  /** Why the step failed; undefined when it passed. */
  failure: string | undefined
  /** The target-total error kind: `http 500`, `expectation`, `timeout`, `refused`... */
  errorKind: string | undefined
  response: StepResponse | undefined
}

/**
 * Sends one request measured from `intendedMs`, and judges it by its expectation; a request with hooks runs them
 * with `context` (its `beforeRequest` time counts in its latency, as it delays the send).
 */
export async function runStepRequest (spec: CompiledRequest, rendered: RenderedRequest, send: (request: RenderedRequest, readBody: boolean) => Promise<StepResponse>, readBody: boolean, intendedMs: number, context?: HookContext): Promise<StepOutcome> {
  const hooks = context === undefined ? undefined : spec.hooks
  let request = rendered
  if (hooks !== undefined && context !== undefined) {
    try {
      request = await beforeRequest(hooks, rendered, context)
    } catch (error) {
      if (!(error instanceof HookFailure)) throw error
      return { status: undefined, latencyMs: undefined, failure: error.kind, errorKind: error.kind, response: undefined }
    }
  }
  let response: StepResponse
  try {
    response = await send(request, readBody || hooks?.after !== undefined)
  } catch (error) {
    const kind = errorKind(error)
    return { status: undefined, latencyMs: kind === 'timeout' ? performance.now() - intendedMs : undefined, failure: kind, errorKind: kind, response: undefined }
  }
  const latencyMs = performance.now() - intendedMs
  const failure = checkResponse(spec.expect, response.status, response.body, latencyMs)
  if (failure === undefined && hooks !== undefined && context !== undefined) {
    const hookKind = await afterResponse(hooks, response, latencyMs, request, context)
    if (hookKind !== undefined) return { status: response.status, latencyMs, failure: hookKind, errorKind: hookKind, response }
  }
  return { status: response.status, latencyMs, failure, errorKind: failureKind(failure, response.status), response }
}

/** Reads the captures of a step into `vars`; the reason of the first one that finds nothing. */
export function applyCaptures (captures: readonly Capture[], response: StepResponse, vars: Record<string, unknown>): string | undefined {
  let json: unknown
  let parsed = false
  for (const capture of captures) {
    const { source } = capture
    let value: unknown
    if (source.kind === 'header') {
      const header = response.headers[source.name]
      value = Array.isArray(header) ? header[0] : header
    } else if (source.kind === 'regex') {
      const match = source.pattern.exec(response.body ?? '')
      value = match === null ? undefined : match[1] ?? match[0]
    } else {
      if (!parsed) {
        parsed = true
        try {
          json = JSON.parse(response.body ?? '')
        } catch {
          return `capture ${capture.variable}: body is not JSON`
        }
      }
      if (json !== null && typeof json === 'object') {
        try {
          value = (JSONPath({ path: source.path, json: json as object, eval: false, wrap: true }) as unknown[])[0]
        } catch (error) {
          return `capture ${capture.variable}: ${error instanceof Error ? error.message : String(error)}`
        }
      }
    }
    if (value === undefined) return `capture ${capture.variable}: ${capture.text} not found`
    vars[capture.variable] = value
  }
  return undefined
}
