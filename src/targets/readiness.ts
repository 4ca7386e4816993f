import { connect } from 'node:net'
import { request } from 'undici'

/** True when something accepts TCP connections on the URL's host and port. */
export function isListening (url: URL, timeoutMs = 500): Promise<boolean> {
  const port = Number(url.port !== '' ? url.port : url.protocol === 'https:' ? 443 : 80)
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port, timeout: timeoutMs })
    const done = (result: boolean): void => {
      socket.destroy()
      resolve(result)
    }
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
    socket.once('timeout', () => done(false))
  })
}

/** One readiness probe: a GET of `path` answered 2xx, or, without a path, an open port. */
export async function probeReady (base: URL, path: string | undefined): Promise<{ ready: boolean, detail: string }> {
  if (path === undefined) {
    const listening = await isListening(base)
    return { ready: listening, detail: listening ? 'port open' : 'connection refused' }
  }
  try {
    const response = await request(new URL(path, base), { method: 'GET', headersTimeout: 2000, bodyTimeout: 2000 })
    await response.body.dump()
    return { ready: response.statusCode >= 200 && response.statusCode < 300, detail: `HTTP ${response.statusCode}` }
  } catch (error) {
    const code = (error as { code?: string }).code
    return { ready: false, detail: code ?? (error instanceof Error ? error.message : String(error)) }
  }
}
