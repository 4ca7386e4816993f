/**
 * The open model's fast path for requests that never change (no templates, no body to check): pre-serialised bytes
 * written on plain keep-alive sockets, responses read only as far as their status and framing. It keeps undici's
 * pool discipline (an idle connection first, at most 8 opening at once, else queue behind a busy one) at a fraction
 * of the CPU per request; latency still runs from each request's intended send time, in the driver.
 */
import { performance } from 'node:perf_hooks'
import { RawConnection, type RawHandler } from './raw-connection.js'

/** Most connections being opened at once (as the undici pool). */
const maxConcurrentConnects = 8

/** How often requests in flight are checked against their timeouts (a timeout fires up to this late). */
const timeoutCheckMs = 25

/** Keep-alive connections to one origin, at most `maxConnections`. */
export class RawPool {
  private readonly connections: RawConnection[] = []
  private readonly idle: RawConnection[] = []
  private connecting = 0
  private next = 0
  private timer: NodeJS.Timeout | undefined
  private inFlight = 0
  private drained: (() => void) | undefined
  private destroyed = false

  constructor (private readonly host: string, private readonly port: number, private readonly maxConnections: number, private readonly connectTimeoutMs = 10_000) {}

  /** Sends `bytes` on an idle connection, a new one, or behind the requests of a busy one. */
  send (bytes: Buffer, head: boolean, timeoutMs: number, handler: RawHandler): void {
    this.inFlight++
    const counted: RawHandler = {
      done: (status) => { this.settled(); handler.done(status) },
      failed: (error) => { this.settled(); handler.failed(error) }
    }
    this.connection().send({ bytes, head, timeoutMs, handler: counted })
    this.timer ??= setInterval(() => { this.checkTimeouts() }, timeoutCheckMs)
  }

  private settled (): void {
    this.inFlight--
    if (this.inFlight === 0) {
      if (this.timer !== undefined) clearInterval(this.timer)
      this.timer = undefined
      this.drained?.()
    }
  }

  private connection (): RawConnection {
    while (this.idle.length > 0) {
      const connection = this.idle.pop() as RawConnection
      if (!connection.usable || connection.load > 0) continue
      if (!connection.staleAt(performance.now())) return connection
      connection.close(new Error('idle past the server\'s keep-alive timeout'))
    }
    const open = this.connections.filter((connection) => connection.usable)
    if (open.length < this.maxConnections && this.connecting < maxConcurrentConnects) {
      this.connecting++
      const connection = new RawConnection(this.host, this.port, {
        connected: () => { this.connecting-- },
        idle: (idle) => { this.idle.push(idle) },
        gone: (gone) => {
          const index = this.connections.indexOf(gone)
          if (index >= 0) this.connections.splice(index, 1)
        },
        requeue: (requests, reason) => {
          // after destroy() nothing goes out again: what was queued fails with the reason it was cut off
          for (const request of requests) {
            if (this.destroyed) request.handler.failed(reason)
            else this.connection().send(request)
          }
        }
      })
      this.connections.push(connection)
      return connection
    }
    return open[this.next++ % open.length] as RawConnection
  }

  private checkTimeouts (): void {
    const now = performance.now()
    for (const connection of [...this.connections]) connection.checkTimeout(now, this.connectTimeoutMs)
  }

  /** Resolves when no request is in flight. */
  async whenDrained (): Promise<void> {
    if (this.inFlight === 0) return
    await new Promise<void>((resolve) => { this.drained = resolve })
  }

  /** Ends every connection; requests still in flight fail with `reason`. */
  destroy (reason: Error): void {
    this.destroyed = true
    for (const connection of [...this.connections]) connection.close(reason)
    if (this.timer !== undefined) clearInterval(this.timer)
    this.timer = undefined
  }
}
