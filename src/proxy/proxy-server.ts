/**
 * The proxy in front of old and new: every caller's request is streamed to old (or, in a rollout, to new for the
 * callers the rollout sends there) and the answer streamed back unchanged
 * (status, body, end-to-end headers, plus `Via`), on kept-alive upstream connections; 502 with a plain reason when old
 * does not answer. A request the mirror may take is copied (up to maxMirrorBody) as it passes, and handed to the
 * mirror only after the caller's answer has ended, so the mirror never delays or fails a caller.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { performance } from 'node:perf_hooks'
import { Transform } from 'node:stream'
import { Pool, type Dispatcher } from 'undici'
import { errorKind } from '../load/error-kind.js'
import { replayEndpoint } from '../shadow/replay.js'
import { isReadOnlyMethod } from '../shadow/safety.js'
import { headerRecord, overTargetHeaders } from '../shadow/send.js'
import { upstreamRequestHeaders } from './hop-headers.js'
import { forward } from './forward.js'
import type { MirrorJob } from './mirror.js'
import { handleControl, type ControlApi } from './control.js'
import type { Side } from './rollout.js'

/** What the proxy does with each caller's request besides answering it. */
export interface ProxyHandlers {
  /** The caller's request ended: the status (0 when the service did not answer), the time from arrival to the last byte, and who answered. */
  answered: (latencyMs: number, status: number, error: string | undefined, side: Side) => void
  /** Who answers this caller (a rollout); old when absent. */
  route?: ((req: IncomingMessage) => Side) | undefined
  /** A request was copied whole for the mirror; undefined when the proxy does not mirror. */
  mirror?: ((job: MirrorJob) => void) | undefined
  /** A read-only (or opted-in) request that was not mirrored, and why. */
  notMirrored?: ((reason: 'tooLarge' | 'mutating') => void) | undefined
}

/** How the proxy is set up. */
export interface ProxySettings {
  host: string
  port: number
  old: URL
  /** Headers the scenario adds to every request to old (targets.old.headers). */
  oldHeaders: Record<string, string>
  /** new, for callers a rollout sends there. */
  candidate: URL
  candidateHeaders: Record<string, string>
  /** Largest request or response body copied for the mirror. */
  maxMirrorBody: number
  /** True for mutating routes that may be mirrored. */
  allowMutating: (method: string, path: string) => boolean
  /** Longest wait for old's answer headers, and between body chunks. */
  timeoutMs: number
  control: ControlApi
}

/** Chunks copied up to a limit; past it, the copy is given up (the stream itself passes on untouched). */
class BodyCopy {
  private chunks: Buffer[] | undefined = []
  private bytes = 0

  constructor (private readonly limit: number) {}

  add (chunk: Buffer): void {
    if (this.chunks === undefined) return
    this.bytes += chunk.length
    if (this.bytes > this.limit) this.chunks = undefined
    else this.chunks.push(chunk)
  }

  /** The whole body, or undefined when it was over the limit. */
  text (): string | undefined {
    return this.chunks === undefined ? undefined : Buffer.concat(this.chunks).toString('utf8')
  }

  get overflowed (): boolean {
    return this.chunks === undefined
  }
}

function copying (copy: BodyCopy): Transform {
  return new Transform({ transform (chunk: Buffer, _encoding, done) { copy.add(chunk); done(null, chunk) } })
}

/** True when the request carries a body (RFC 9112 §6.3: Content-Length or Transfer-Encoding). */
function hasBody (req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0')
}

/** The HTTP server in front of old. */
export class ProxyServer {
  private readonly server: Server
  private readonly pools: Record<Side, Pool>
  private address: AddressInfo | undefined

  constructor (private readonly settings: ProxySettings, private readonly handlers: ProxyHandlers) {
    const pool = (url: URL): Pool => new Pool(url.origin, { connections: 256, pipelining: 1, keepAliveTimeout: 30_000 })
    this.pools = { old: pool(settings.old), new: pool(settings.candidate) }
    this.server = createServer((req, res) => { void this.handle(req, res) })
    this.server.keepAliveTimeout = 65_000
  }

  /** Listens; resolves with the address callers use. */
  async listen (): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(this.settings.port, this.settings.host, () => { this.server.off('error', reject); resolve() })
    })
    this.address = this.server.address() as AddressInfo
    return this.address
  }

  /** Stops taking connections; waits up to `graceMs` for callers being answered, then cuts the rest. */
  async close (graceMs: number): Promise<void> {
    const closed = new Promise<void>((resolve) => { this.server.close(() => { resolve() }) })
    this.server.closeIdleConnections()
    let timer: NodeJS.Timeout | undefined
    await Promise.race([closed, new Promise<void>((resolve) => { timer = setTimeout(resolve, graceMs) })])
    if (timer !== undefined) clearTimeout(timer)
    this.server.closeAllConnections()
    await Promise.all(Object.values(this.pools).map(async (pool) => { await pool.close().catch(() => {}) }))
  }

  private async handle (req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrived = performance.now()
    const method = (req.method ?? 'GET').toUpperCase()
    const path = req.url ?? '/'
    if (path.startsWith('/_cutover/')) {
      await handleControl(req, res, this.settings.control)
      return
    }
    const side = this.handlers.route?.(req) ?? 'old'
    const upstream = side === 'old' ? this.settings.old : this.settings.candidate
    const mutatingAllowed = !isReadOnlyMethod(method) && this.settings.allowMutating(method, path)
    // only old's callers are mirrored: a caller new answered has nothing to be compared with
    const mirrorable = side === 'old' && this.handlers.mirror !== undefined && (isReadOnlyMethod(method) || mutatingAllowed)
    if (side === 'old' && this.handlers.mirror !== undefined && !mirrorable) this.handlers.notMirrored?.('mutating')
    const requestCopy = mirrorable ? new BodyCopy(this.settings.maxMirrorBody) : undefined
    const responseCopy = mirrorable ? new BodyCopy(this.settings.maxMirrorBody) : undefined
    const passedOn = upstreamRequestHeaders(req.headers, req.socket.remoteAddress)
    const headers = overTargetHeaders(side === 'old' ? this.settings.oldHeaders : this.settings.candidateHeaders, passedOn)
    let body: Dispatcher.DispatchOptions['body']
    if (hasBody(req)) body = requestCopy === undefined ? req : req.pipe(copying(requestCopy))
    const forwarded = await forward(this.pools[side], { path, method: method as Dispatcher.HttpMethod, headers, body, headersTimeout: this.settings.timeoutMs, bodyTimeout: this.settings.timeoutMs }, res, responseCopy === undefined ? undefined : (chunk) => { responseCopy.add(chunk) })
    if (forwarded.error !== undefined) {
      const kind = errorKind(forwarded.error)
      if (!res.headersSent && !res.destroyed) {
        const text = `cutover proxy: ${side} (${upstream.origin}) did not answer: ${kind}\n`
        res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text), via: '1.1 cutover' })
        res.end(text)
      } else {
        res.destroy()
      }
      this.handlers.answered(performance.now() - arrived, 0, kind, side)
      return
    }
    const status = forwarded.status
    const answerHeaders = forwarded.headers
    const latencyMs = performance.now() - arrived
    this.handlers.answered(latencyMs, status, undefined, side)
    if (!mirrorable || requestCopy === undefined || responseCopy === undefined) return
    const requestBody = requestCopy.text()
    const responseBody = responseCopy.text()
    if (requestBody === undefined || responseBody === undefined) {
      this.handlers.notMirrored?.('tooLarge')
      return
    }
    this.handlers.mirror?.({
      request: {
        endpoint: replayEndpoint(method, path),
        method,
        path,
        // undici sets the length of the copied body itself
        headers: headerRecord(passedOn, 'content-length'),
        body: requestBody === '' && !hasBody(req) ? undefined : requestBody,
        timeoutMs: this.settings.timeoutMs,
        allowMutating: mutatingAllowed,
        spec: undefined
      },
      oldAnswer: { status, headers: headerRecord(answerHeaders), body: responseBody, truncated: false, error: undefined, latencyMs }
    })
  }
}
