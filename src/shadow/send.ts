/**
 * Sends one request to one service with undici's low-level `dispatch` and reads its answer for comparison: status,
 * headers and up to 1 MiB of body. Failures are data (status 0 and an error kind), never exceptions; every call ends
 * by its timeout. (`dispatch`, not the promise-based `request`: the proxy's mirror sends one of these per caller,
 * and with `request`'s body stream and abort signal per call its callers' p99 at 2,000 req/s was 44 ms, against
 * 5-6 ms now.)
 */

import { performance } from 'node:perf_hooks'
import type { Dispatcher } from 'undici'
import { errorKind } from '../load/error-kind.js'
import type { ShadowAnswer } from './answer.js'
import type { ShadowRequest } from './sources.js'

/** Most body bytes read for comparison; a longer body is compared as cut text. */
export const maxCompareBytes = 1024 * 1024

/** Headers as one flat record: lower-case names, repeated values joined with ", ", absent ones (and `leaveOut`) left out. */
export function headerRecord (headers: Record<string, string | string[] | undefined>, leaveOut?: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name in headers) {
    const value = headers[name]
    const lower = name.toLowerCase()
    if (value !== undefined && lower !== leaveOut) out[lower] = Array.isArray(value) ? value.join(', ') : value
  }
  return out
}

/**
 * A request's headers over the ones its target adds (`targets.X.headers`): the request's win. Written out rather
 * than spread: the proxy does this for every caller, and V8 placed such per-request copies straight in the old
 * generation (see sendToTarget).
 */
export function overTargetHeaders<Value> (targetHeaders: Record<string, string>, own: Record<string, Value>): Record<string, string | Value> {
  let none = true
  for (const _ in targetHeaders) { none = false; break }
  if (none) return own
  const out: Record<string, string | Value> = {}
  for (const name in targetHeaders) out[name] = targetHeaders[name] as string
  for (const name in own) out[name] = own[name] as Value
  return out
}

/**
 * Raw header pairs (names and values as Buffers, as undici hands them over) as a record; repeated names become lists.
 * A header named `__proto__` is left out, as node:http leaves it out of a request's headers: set on a plain object it
 * would replace the object's prototype.
 */
export function rawHeaderRecord (raw: Buffer[] | string[] | null): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  if (raw === null) return out
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = String(raw[i]).toLowerCase()
    if (name === '__proto__') continue
    const value = String(raw[i + 1])
    const earlier = Object.hasOwn(out, name) ? out[name] : undefined
    out[name] = earlier === undefined ? value : Array.isArray(earlier) ? [...earlier, value] : [earlier, value]
  }
  return out
}

/**
 * A request path as undici sends it: as given, unless it holds what a request line cannot (spaces, controls,
 * characters past ASCII, a fragment); then percent-encoded, and the fragment dropped, as a URL would have it.
 */
function requestPath (origin: URL, path: string): string {
  if (!/[^\x21-\x7e]|#/.test(path)) return path
  const url = new URL(path, origin)
  return `${url.pathname}${url.search}`
}

/** Code of the error that ends a call whose whole answer took longer than its timeout. */
const deadlineCode = 'UND_ERR_BODY_TIMEOUT'

/** Sends `shadowRequest` to `origin` (its path is appended to the origin), adding `targetHeaders`. */
export function sendToTarget (dispatcher: Dispatcher, origin: URL, shadowRequest: ShadowRequest, targetHeaders: Record<string, string>): Promise<ShadowAnswer> {
  const started = performance.now()
  const timeoutMs = shadowRequest.timeoutMs
  return new Promise((resolve) => {
    let status = 0
    let headers: Record<string, string> = {}
    const chunks: Buffer[] = []
    let bytes = 0
    let abort: ((reason?: Error) => void) | undefined
    let settled = false
    // the answer is built whole, in one literal: V8 put `{ ...answer, latencyMs }` copies straight into the old
    // generation (at 2,000 mirrored requests a second, 6.6 MB in 20 s that only a full collection frees, against 0.7)
    const settle = (answerStatus: number, answerHeaders: Record<string, string>, body: string, truncated: boolean, error: string | undefined): void => {
      if (settled) return
      settled = true
      clearTimeout(deadline)
      resolve({ status: answerStatus, headers: answerHeaders, body, truncated, error, latencyMs: performance.now() - started })
    }
    const fail = (error: unknown): void => { settle(0, {}, '', false, errorKind(error)) }
    const answered = (truncated: boolean): void => {
      settle(status, headers, (chunks.length === 1 ? chunks[0] as Buffer : Buffer.concat(chunks, bytes)).toString('utf8'), truncated, undefined)
    }
    // the whole answer within timeoutMs, however slowly it trickles in (undici's own timeouts are per wait)
    const deadline = setTimeout(() => {
      const error = Object.assign(new Error(`no whole answer within ${timeoutMs} ms`), { code: deadlineCode })
      fail(error)
      abort?.(error)
    }, timeoutMs)
    const handler = {
      onConnect (abortRequest: (reason?: Error) => void): void {
        abort = abortRequest
        if (settled) abortRequest()
      },
      onHeaders (statusCode: number, rawHeaders: Buffer[]): boolean {
        status = statusCode
        headers = headerRecord(rawHeaderRecord(rawHeaders))
        return true
      },
      onData (chunk: Buffer): boolean {
        const room = maxCompareBytes - bytes
        if (chunk.length <= room) {
          chunks.push(chunk)
          bytes += chunk.length
          return true
        }
        if (room > 0) chunks.push(chunk.subarray(0, room))
        bytes = maxCompareBytes
        answered(true)
        abort?.()
        return false
      },
      onComplete (): void { answered(false) },
      onError (error: Error): void { fail(error) }
    }
    try {
      dispatcher.dispatch({
        origin: origin.origin,
        path: requestPath(origin, shadowRequest.path),
        method: shadowRequest.method as Dispatcher.HttpMethod,
        headers: overTargetHeaders(targetHeaders, shadowRequest.headers ?? {}),
        body: shadowRequest.body,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs
      }, handler as unknown as Dispatcher.DispatchHandler)
    } catch (error) {
      fail(error)
    }
  })
}
