/**
 * Headers as a proxy passes them on (RFC 9110 §7.6.1): hop-by-hop headers, and any the Connection header names, stay
 * on their own hop; `Via` says cutover passed the message on; the caller's address goes upstream in
 * `X-Forwarded-For`, its Host in `X-Forwarded-Host` (upstream gets its own Host, as nginx's `proxy_pass` does).
 */
import type { IncomingHttpHeaders } from 'node:http'

const hopByHop = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade'])

/** What cutover adds to `Via`. */
export const viaToken = '1.1 cutover'

type HeaderValue = string | string[] | undefined

/** Names listed in a Connection header, lower case; undefined when it lists none (most messages: nothing to build). */
function connectionNames (value: HeaderValue): Set<string> | undefined {
  if (value === undefined || value === '' || value === 'keep-alive') return undefined
  const text = Array.isArray(value) ? value.join(',') : value
  return new Set(text.split(',').map((name) => name.trim().toLowerCase()).filter((name) => name !== ''))
}

/** `headers` without hop-by-hop ones, with `Via` extended (run for every caller twice: loops, no copies). */
function endToEnd (headers: Record<string, HeaderValue>): Record<string, string | string[]> {
  const named = connectionNames(headers.connection)
  const out: Record<string, string | string[]> = {}
  for (const name in headers) {
    const value = headers[name]
    const lower = name.toLowerCase()
    if (value === undefined || hopByHop.has(lower) || named?.has(lower) === true) continue
    out[lower] = value
  }
  const via = out.via
  out.via = via === undefined ? viaToken : `${Array.isArray(via) ? via.join(', ') : via}, ${viaToken}`
  return out
}

/** A caller's request headers as they go upstream. */
export function upstreamRequestHeaders (headers: IncomingHttpHeaders, callerAddress: string | undefined): Record<string, string | string[]> {
  const out = endToEnd(headers)
  const host = out.host
  delete out.host
  if (host !== undefined) out['x-forwarded-host'] = host
  if (callerAddress !== undefined) {
    const earlier = out['x-forwarded-for']
    out['x-forwarded-for'] = earlier === undefined ? callerAddress : `${Array.isArray(earlier) ? earlier.join(', ') : earlier}, ${callerAddress}`
  }
  return out
}

/** An upstream answer's headers as they go back to the caller. */
export function callerResponseHeaders (headers: Record<string, HeaderValue>): Record<string, string | string[]> {
  return endToEnd(headers)
}
