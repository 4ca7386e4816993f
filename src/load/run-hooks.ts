/**
 * Runs a request's hooks around its send: `beforeRequest` may change the rendered request, `afterResponse` judges the
 * response. A hook that throws fails that request (kind `hook: <message>`), never the run; a reason `afterResponse`
 * returns fails it as `expectation: <reason>`. Kinds are counted in result.json's `byError` as other failures are.
 */
import type { HookContext, HookRequest, RequestHooks } from '../scenario/hook-types.js'
import type { RenderedRequest } from './request-mix.js'
import { thrownMessage } from '../core/thrown-message.js'

/** Longest message kept in a failure kind. */
const maxMessageLength = 120

/** Distinct messages per prefix before the rest are counted together: a message with an id in it must not grow result.json without end. */
const maxDistinctMessages = 20

const seen = new Map<string, Set<string>>()

/** The failure kind for `message` under `prefix` (`hook`, `expectation`): its first line, shortened, at most 20 distinct per process. */
export function messageKind (prefix: 'hook' | 'expectation', message: string): string {
  // ids and times in a message would make every failure its own kind: long numbers and UUIDs read as placeholders
  const line = (message.split('\n')[0] ?? '').trim().replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>').replace(/\d{6,}/g, '<n>')
  const text = line.length > maxMessageLength ? `${line.slice(0, maxMessageLength - 1)}…` : line === '' ? '(no message)' : line
  let known = seen.get(prefix)
  if (known === undefined) {
    known = new Set()
    seen.set(prefix, known)
  }
  if (!known.has(text)) {
    if (known.size >= maxDistinctMessages) return `${prefix}: (other messages)`
    known.add(text)
  }
  return `${prefix}: ${text}`
}

/** A hook that threw, as the request's failure. */
export class HookFailure extends Error {
  constructor (readonly kind: string) {
    super(kind)
  }
}

/** Applies `beforeRequest` to a copy of `rendered`; throws HookFailure when the hook throws or returns something unusable. */
export async function beforeRequest (hooks: RequestHooks, rendered: RenderedRequest, context: HookContext): Promise<RenderedRequest> {
  const before = hooks.before
  if (before === undefined) return rendered
  const request: HookRequest = { name: rendered.spec.name, method: rendered.method, path: rendered.path, headers: { ...rendered.headers }, body: rendered.body }
  let changed: unknown
  try {
    changed = await before(request, context)
  } catch (error) {
    throw new HookFailure(messageKind('hook', `beforeRequest: ${thrownMessage(error)}`))
  }
  if (changed !== undefined && changed !== null && typeof changed === 'object') Object.assign(request, changed)
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (value !== undefined && value !== null) headers[name.toLowerCase()] = String(value)
  }
  if (typeof request.path !== 'string' || !request.path.startsWith('/')) throw new HookFailure(messageKind('hook', `beforeRequest: path must start with /, got ${JSON.stringify(request.path)}`))
  const body = request.body === undefined || request.body === null ? undefined : String(request.body)
  return { spec: rendered.spec, method: String(request.method).toUpperCase(), path: request.path, headers: Object.keys(headers).length === 0 ? undefined : headers, body }
}

/** Runs `afterResponse`; the failure kind when the response is wrong (a reason returned) or the hook threw, else undefined. */
export async function afterResponse (hooks: RequestHooks, response: { status: number, headers: Record<string, string | string[] | undefined>, body: string | undefined }, latencyMs: number, sent: RenderedRequest, context: HookContext): Promise<string | undefined> {
  const after = hooks.after
  if (after === undefined) return undefined
  const request: HookRequest = { name: sent.spec.name, method: sent.method, path: sent.path, headers: { ...sent.headers }, body: sent.body }
  try {
    const reason = await after({ status: response.status, headers: response.headers, body: response.body ?? '', latencyMs, request }, context)
    if (reason === undefined || reason === null || reason === '' || (reason as unknown) === true) return undefined
    return messageKind('expectation', String(reason))
  } catch (error) {
    return messageKind('hook', `afterResponse: ${thrownMessage(error)}`)
  }
}
