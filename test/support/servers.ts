import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A free port on 127.0.0.1 for a service a test starts itself (the demo's own helper, so tests and demo agree). */
export { freePort } from '../../src/targets/free-port.js'

/** A loopback HTTP server on a free port, closed with `close()`. */
export interface TestServer {
  url: string
  port: number
  server: Server
  /** Requests received, by method and path. */
  received: Array<{ method: string, path: string, body: string, headers: IncomingMessage['headers'] }>
  close: () => Promise<void>
}

/** Starts a server on 127.0.0.1, port 0, answering with `handler`. */
export async function startServer (handler: (req: IncomingMessage, res: ServerResponse, body: string) => void = (_req, res) => { res.end('ok') }, options: { keepBodies?: boolean } = {}): Promise<TestServer> {
  const received: TestServer['received'] = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => { body += chunk.toString() })
    req.on('end', () => {
      if (options.keepBodies !== false) received.push({ method: req.method ?? '', path: req.url ?? '', body, headers: req.headers })
      handler(req, res, body)
    })
  })
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    received,
    close: () => new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  }
}
