/**
 * Sends one request to one service with undici and reads its answer for comparison: status, headers and up to 1 MiB
 * of body. Failures are data (status 0 and an error kind), never exceptions; every call ends by its timeout.
 */

import { performance } from 'node:perf_hooks'
import { request, type Dispatcher } from 'undici'
import { errorKind } from '../load/error-kind.js'
import type { ShadowAnswer } from './answer.js'
import type { ShadowRequest } from './sources.js'

/** Most body bytes read for comparison; a longer body is compared as cut text. */
export const maxCompareBytes = 1024 * 1024

/** Headers as one flat record: lower-case names, repeated values joined with ", ", absent ones left out. */
export function headerRecord (headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
  }
  return out
}

function failureKind (error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name
  if (name === 'TimeoutError') return 'timeout'
  if (name === 'AbortError') return 'aborted'
  return errorKind(error)
}

/** Sends `shadowRequest` to `origin` (its path is appended to the origin), adding `targetHeaders`. */
export async function sendToTarget (dispatcher: Dispatcher, origin: URL, shadowRequest: ShadowRequest, targetHeaders: Record<string, string>): Promise<ShadowAnswer> {
  const started = performance.now()
  const timeoutMs = shadowRequest.timeoutMs
  const headers = { ...targetHeaders, ...shadowRequest.headers }
  try {
    const response = await request(`${origin.origin}${shadowRequest.path}`, {
      dispatcher,
      method: shadowRequest.method as Dispatcher.HttpMethod,
      headers,
      body: shadowRequest.body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs)
    })
    const chunks: Buffer[] = []
    let bytes = 0
    let truncated = false
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      const room = maxCompareBytes - bytes
      if (chunk.length > room) {
        if (room > 0) chunks.push(chunk.subarray(0, room))
        truncated = true
        break
      }
      chunks.push(chunk)
      bytes += chunk.length
    }
    if (truncated) response.body.destroy()
    return {
      status: response.statusCode,
      headers: headerRecord(response.headers),
      body: Buffer.concat(chunks).toString('utf8'),
      truncated,
      error: undefined,
      latencyMs: performance.now() - started
    }
  } catch (error) {
    return { status: 0, headers: {}, body: '', truncated: false, error: failureKind(error), latencyMs: performance.now() - started }
  }
}
