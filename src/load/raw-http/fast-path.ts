/** Which open-model requests take the raw-socket fast path, and their bytes, serialised once. */
import type { RenderedRequest, RequestMix } from '../request-mix.js'

/**
 * True when every request of the mix renders the same each time and no expectation reads the body, there are no
 * journeys (their captures read bodies), and the target speaks plain HTTP: then the bytes can be built once.
 */
export function fastPathFits (mix: RequestMix, hasJourneys: boolean, origin: URL): boolean {
  // CUTOVER_FAST_PATH=0 sends everything with undici (to compare the two, or should a server misread the bytes)
  if (process.env.CUTOVER_FAST_PATH === '0') return false
  if (hasJourneys || origin.protocol !== 'http:') return false
  // requests with hooks never come here: they go on the promise path, so they do not keep the rest off the fast path
  return mix.requests.every((request) => request.weight <= 0 || request.hooks !== undefined || (mix.isConstant(request) && !request.expect.needsBody))
}

/** The HTTP/1.1 bytes of a rendered request to `origin` (a Host header unless the request sets one). */
export function serialiseRequest (request: RenderedRequest, origin: URL): Buffer {
  const headers = Object.entries(request.headers ?? {})
  const lines = [`${request.method} ${request.path} HTTP/1.1`]
  if (!headers.some(([name]) => name.toLowerCase() === 'host')) lines.push(`host: ${origin.host}`)
  for (const [name, value] of headers) lines.push(`${name}: ${value}`)
  const body = request.body === undefined ? undefined : Buffer.from(request.body)
  if (body !== undefined && !headers.some(([name]) => name.toLowerCase() === 'content-length')) lines.push(`content-length: ${body.length}`)
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1')
  return body === undefined ? head : Buffer.concat([head, body])
}
