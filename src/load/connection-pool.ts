import { Client } from 'undici'

/** Most connections being opened at once; more would turn a slow start into a connection storm. */
const maxConcurrentConnects = 8

/**
 * Connections for the open model. undici's Pool opens a new connection whenever every existing one is busy,
 * which includes connections still being opened: a cold start at thousands of requests per second then opens
 * hundreds of sockets. This pool reuses an idle connection first, opens at most a few at a time, and otherwise
 * queues on the next busy connection (the wait still counts, because latency runs from the intended send time).
 */
export class ConnectionPool {
  private readonly clients: Client[] = []
  private readonly load: number[] = []
  private readonly idle: number[] = []
  private connecting = 0
  private next = 0

  constructor (private readonly origin: string, private readonly maxConnections: number, private readonly connectTimeoutMs = 10_000) {}

  /** Connections opened so far. */
  get size (): number {
    return this.clients.length
  }

  /** The connection for the next request: an idle one, a new one, or the next busy one in turn. Call `release` when the request ends. */
  acquire (): number {
    while (this.idle.length > 0) {
      const index = this.idle.pop() as number
      if (this.load[index] === 0) {
        this.load[index] = 1
        return index
      }
    }
    if (this.clients.length < this.maxConnections && this.connecting < maxConcurrentConnects) {
      const index = this.clients.length
      const client = new Client(this.origin, { pipelining: 1, keepAliveTimeout: 30_000, connect: { timeout: this.connectTimeoutMs } })
      this.connecting++
      let counted = true
      const settled = (): void => {
        if (counted) {
          counted = false
          this.connecting--
        }
      }
      client.once('connect', settled)
      client.once('connectionError', settled)
      client.once('disconnect', settled)
      this.clients.push(client)
      this.load.push(1)
      return index
    }
    const index = this.next++ % this.clients.length
    this.load[index] = (this.load[index] ?? 0) + 1
    return index
  }

  /** The undici client of connection `index`. */
  client (index: number): Client {
    return this.clients[index] as Client
  }

  /** A request on connection `index` ended. */
  release (index: number): void {
    const load = (this.load[index] ?? 1) - 1
    this.load[index] = load
    if (load === 0) this.idle.push(index)
  }

  /** Closes every connection after its outstanding requests. */
  async close (): Promise<void> {
    await Promise.all(this.clients.map((client) => client.close()))
  }

  /** Cuts every connection now; outstanding requests fail. */
  async destroy (reason: Error): Promise<void> {
    await Promise.all(this.clients.map((client) => client.destroy(reason).catch(() => {})))
  }
}
