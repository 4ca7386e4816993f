/** One keep-alive socket of the open model's fast path: one request at a time, the next ones queued behind it. */
import { connect, type Socket } from 'node:net'
import { performance } from 'node:perf_hooks'
import { ResponseParser } from './response-parser.js'

/** What the sender of a request is told. */
export interface RawHandler {
  /** The response ended (its body read and dropped). */
  done: (status: number) => void
  /** No usable response: a socket error, a timeout, a protocol error, the connection cut off. */
  failed: (error: Error & { code?: string }) => void
}

/** A serialised request waiting for, or on, a connection. */
export interface RawRequest {
  bytes: Buffer
  /** A HEAD request: its response has no body. */
  head: boolean
  timeoutMs: number
  handler: RawHandler
}

/**
 * How long before the server's announced keep-alive timeout an idle connection stops being reused, and how long one
 * is reused when the server announces none: undici's rules (keepAliveTimeoutThreshold 2 s) and the keepAliveTimeout
 * cutover gives its undici clients. A request written just as the server closes an idle socket would fail.
 */
const keepAliveThresholdMs = 2000
const defaultKeepAliveMs = 30_000
const maxKeepAliveMs = 600_000

/** Where every fast-path socket of this thread reads its answers into. */
const readBuffer = Buffer.allocUnsafe(64 * 1024)

const failure = (message: string, code: string): Error & { code: string } => Object.assign(new Error(message), { code })

/** A socket with a queue of requests; `idle` is called when it has nothing left to send or wait for. */
export class RawConnection {
  private readonly socket: Socket
  private readonly queue: RawRequest[] = []
  private current: RawRequest | undefined
  private sentAtMs = 0
  private readonly openedAtMs = performance.now()
  private connected = false
  private closed = false
  private idleSinceMs = 0
  /** How long this connection may sit idle and still be reused. */
  private reuseWithinMs = defaultKeepAliveMs
  private readonly parser = new ResponseParser((response) => {
    const request = this.current
    this.current = undefined
    request?.handler.done(response.status)
    if (response.keepAliveTimeoutMs !== undefined) this.reuseWithinMs = Math.min(response.keepAliveTimeoutMs - keepAliveThresholdMs, maxKeepAliveMs)
    if (!response.keepAlive || this.reuseWithinMs <= 0) {
      // the server ends the connection after this answer: what was queued behind it goes on another one
      this.close(failure('the server closed the connection', 'ECONNRESET'))
      return
    }
    this.sendNext()
  })

  constructor (host: string, port: number, private readonly events: { connected: () => void, idle: (connection: RawConnection) => void, gone: (connection: RawConnection) => void, requeue: (requests: RawRequest[], reason: Error) => void }) {
    // answers are read into one buffer that every connection of the thread shares (each read is parsed before the
    // next one can happen): no Buffer and no stream event per read
    this.socket = connect({ host, port, noDelay: true, onread: { buffer: readBuffer, callback: (bytes) => this.received(readBuffer.subarray(0, bytes)) } })
    this.socket.once('connect', () => {
      this.connected = true
      this.events.connected()
      this.sendNext()
    })
    this.socket.on('error', (error) => { this.close(error) })
    this.socket.on('close', () => {
      const cutShort = this.parser.end()
      this.close(failure(cutShort ? 'the connection closed mid-response' : 'the connection closed', 'ECONNRESET'))
    })
  }

  /** Parses what a read brought; true: keep reading. */
  private received (chunk: Buffer): boolean {
    try {
      this.parser.feed(chunk, () => this.current?.head === true)
    } catch (error) {
      this.close(error as Error)
    }
    return true
  }

  /** Requests on this connection: the one in flight and those queued. */
  get load (): number {
    return this.queue.length + (this.current === undefined ? 0 : 1)
  }

  get usable (): boolean {
    return !this.closed
  }

  /** Idle for longer than the server keeps it open, less a margin: closed rather than reused. */
  staleAt (nowMs: number): boolean {
    return this.load === 0 && nowMs - this.idleSinceMs > this.reuseWithinMs
  }

  /** Still opening its socket. */
  get connecting (): boolean {
    return !this.connected && !this.closed
  }

  /** Sends `request` now, or after the ones before it. */
  send (request: RawRequest): void {
    this.queue.push(request)
    if (this.connected && this.current === undefined) this.sendNext()
  }

  private sendNext (): void {
    const next = this.queue.shift()
    if (next === undefined) {
      this.idleSinceMs = performance.now()
      this.events.idle(this)
      return
    }
    this.current = next
    this.sentAtMs = performance.now()
    this.socket.write(next.bytes)
  }

  /** Fails the request in flight when it has waited longer than its timeout, or the socket has not opened in `connectTimeoutMs`. */
  checkTimeout (nowMs: number, connectTimeoutMs: number): void {
    if (this.closed) return
    if (!this.connected && nowMs - this.openedAtMs > connectTimeoutMs) {
      this.close(failure(`connect timed out after ${connectTimeoutMs} ms`, 'UND_ERR_CONNECT_TIMEOUT'))
    } else if (this.current !== undefined && nowMs - this.sentAtMs > this.current.timeoutMs) {
      this.close(failure(`no response within ${this.current.timeoutMs} ms`, 'UND_ERR_HEADERS_TIMEOUT'))
    }
  }

  /**
   * Ends the connection: its request in flight fails with `reason`; those queued behind it, never sent, go on another
   * connection (as undici retries its queue) — unless this one never connected (refused, unreachable), when they fail
   * too, so that a service that is down does not make the pool open connections without end.
   */
  close (reason: Error): void {
    if (this.closed) return
    this.closed = true
    this.socket.destroy()
    const inFlight = this.current
    const unsent = this.queue.splice(0)
    this.current = undefined
    if (!this.connected) this.events.connected()
    this.events.gone(this)
    inFlight?.handler.failed(reason)
    if (this.connected) this.events.requeue(unsent, reason)
    else for (const request of unsent) request.handler.failed(reason)
  }
}
