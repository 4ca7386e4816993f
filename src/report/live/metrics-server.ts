/**
 * The HTTP endpoint of `--metrics`: GET /metrics answers the Prometheus text of the moment; anything else is 404
 * (405 for other methods). It never holds the process open by itself, and counts scrapes so the run can wait for one.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CutoverError } from '../../core/errors.js'
import { formatMetricsAddress, isLoopbackHost, type MetricsAddress } from './metrics-address.js'
import { prometheusTextContentType } from './prometheus-text.js'

/** Why listening failed, in the user's words, by Node's error code. */
const listenProblems: Record<string, string> = {
  EADDRINUSE: 'the port is in use',
  EADDRNOTAVAIL: 'no interface of this machine has that address',
  EACCES: 'not allowed to listen there (ports below 1024 need privileges)',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name does not resolve'
}

/** A listening metrics endpoint. */
export class MetricsServer {
  private scrapeCount = 0
  private readonly scrapeWaiters: Array<() => void> = []

  private constructor (private readonly server: Server, readonly address: MetricsAddress, private readonly render: () => string) {}

  /** Listens on `address` and serves `render()` at /metrics; a usage error (exit 2) when it cannot listen. */
  static async start (address: MetricsAddress, render: () => string): Promise<MetricsServer> {
    let endpoint: MetricsServer | undefined
    const server = createServer((request, response) => { endpoint?.answer(request, response) })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(address.port, address.host, () => { server.off('error', reject); resolve() })
    }).catch((error: unknown) => {
      const code = (error as { code?: string }).code ?? ''
      throw new CutoverError('USAGE', `--metrics ${formatMetricsAddress(address)}: cannot listen: ${listenProblems[code] ?? code}`, {
        hint: 'choose another host:port, or port 0 for any free one'
      })
    })
    server.unref()
    const bound = server.address() as AddressInfo
    endpoint = new MetricsServer(server, { host: address.host, port: bound.port }, render)
    return endpoint
  }

  /** The URL Prometheus scrapes. */
  get url (): string {
    return `http://${formatMetricsAddress(this.address)}/metrics`
  }

  /** True when other machines may reach the endpoint (the user wrote a non-loopback host). */
  get exposed (): boolean {
    return !isLoopbackHost(this.address.host)
  }

  /** GET requests to /metrics answered so far. */
  get scrapes (): number {
    return this.scrapeCount
  }

  /** Resolves after the next answered scrape. */
  nextScrape (): Promise<void> {
    return new Promise((resolve) => { this.scrapeWaiters.push(resolve) })
  }

  private answer (request: IncomingMessage, response: ServerResponse): void {
    const path = (request.url ?? '/').split('?')[0]
    if (path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('cutover serves its live metrics at /metrics\n')
      return
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('GET /metrics\n')
      return
    }
    const body = this.render()
    response.writeHead(200, { 'content-type': prometheusTextContentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' })
    response.end(request.method === 'HEAD' ? undefined : body)
    if (request.method !== 'GET') return
    this.scrapeCount++
    for (const waiter of this.scrapeWaiters.splice(0)) waiter()
  }

  /** Stops listening and closes every connection (Prometheus keeps its connection open between scrapes). */
  async close (): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => { resolve() })
      this.server.closeAllConnections()
    })
  }
}
