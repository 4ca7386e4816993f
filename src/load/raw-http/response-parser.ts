/**
 * An incremental HTTP/1.1 response reader for the open model's fast path: it finds where each response ends
 * (Content-Length, chunked, or the connection's close) and hands over its status; bodies are skipped, never kept.
 */

/** Longest response head read; a longer one is a protocol error. */
const maxHeadBytes = 64 * 1024

const headEnd = Buffer.from('\r\n\r\n')
const lineEnd = Buffer.from('\r\n')

/** What the reader learned about one response. */
export interface ParsedResponse {
  status: number
  /** False when the server said `connection: close` (or HTTP/1.0 without keep-alive): the socket is not reused. */
  keepAlive: boolean
  /** The server's `keep-alive: timeout=N`, in milliseconds: how long it keeps the connection open when idle. */
  keepAliveTimeoutMs?: number
}

type Body =
  | { kind: 'length', left: number }
  | { kind: 'chunked', left: number, state: 'size' | 'data' | 'data-end' | 'trailers' }
  | { kind: 'until-close' }

/** A protocol error: the bytes are not an HTTP/1.1 response this reader can follow. */
export class ResponseParseError extends Error {
  readonly code = 'HPE_INVALID_RESPONSE'
}

/** Reads responses from a socket's chunks; `complete` is called once per response, in order. */
export class ResponseParser {
  private pending: Buffer | undefined
  private head: ParsedResponse | undefined
  private body: Body | undefined

  constructor (private readonly complete: (response: ParsedResponse) => void) {}

  /** True while a response has begun and not ended (bytes of it were read). */
  get midResponse (): boolean {
    return this.head !== undefined || (this.pending !== undefined && this.pending.length > 0)
  }

  /** Reads a chunk (kept only as a copy: it may be reused once this returns); `noBody` says the request in flight was a HEAD (its response has headers only). */
  feed (chunk: Buffer, noBody: () => boolean): void {
    let data = this.pending === undefined ? chunk : Buffer.concat([this.pending, chunk])
    this.pending = undefined
    while (data.length > 0) {
      if (this.head === undefined) {
        const end = data.indexOf(headEnd)
        if (end < 0) {
          if (data.length > maxHeadBytes) throw new ResponseParseError('response head longer than 64 KB')
          // a copy: the chunk may be a view of a buffer the socket reuses for its next read
          this.pending = Buffer.from(data)
          return
        }
        const parsed = parseHead(data.toString('latin1', 0, end))
        data = data.subarray(end + 4)
        // 1xx answers (100 Continue, 103 Early Hints) precede the real one
        if (parsed.head.status >= 100 && parsed.head.status < 200) continue
        this.head = parsed.head
        this.body = parsed.head.status === 204 || parsed.head.status === 304 || noBody() ? { kind: 'length', left: 0 } : parsed.body
      }
      data = this.readBody(data)
      if (this.body?.kind === 'length' && this.body.left === 0) this.finish()
    }
    if (this.head !== undefined && this.body?.kind === 'length' && this.body.left === 0) this.finish()
  }

  /** The connection ended: a response read until close ends here; true when one was cut short. */
  end (): boolean {
    if (this.head !== undefined && this.body?.kind === 'until-close') {
      this.finish()
      return false
    }
    return this.midResponse
  }

  private finish (): void {
    const head = this.head as ParsedResponse
    this.head = undefined
    this.body = undefined
    this.complete(head)
  }

  /** Consumes body bytes of the current response; returns what is left of `data`. */
  private readBody (data: Buffer): Buffer {
    const body = this.body
    if (body === undefined || body.kind === 'until-close') return Buffer.alloc(0)
    if (body.kind === 'length') {
      const taken = Math.min(body.left, data.length)
      body.left -= taken
      return data.subarray(taken)
    }
    while (data.length > 0) {
      if (body.state === 'data') {
        const taken = Math.min(body.left, data.length)
        body.left -= taken
        data = data.subarray(taken)
        if (body.left === 0) body.state = 'data-end'
        continue
      }
      const end = data.indexOf(lineEnd)
      if (end < 0) {
        if (data.length > maxHeadBytes) throw new ResponseParseError('chunk line longer than 64 KB')
        this.pending = Buffer.from(data)
        return Buffer.alloc(0)
      }
      const line = data.toString('latin1', 0, end)
      data = data.subarray(end + 2)
      if (body.state === 'data-end') {
        if (line !== '') throw new ResponseParseError('chunk not followed by CRLF')
        body.state = 'size'
      } else if (body.state === 'size') {
        const size = Number.parseInt(line, 16)
        if (!Number.isFinite(size) || size < 0) throw new ResponseParseError(`bad chunk size "${line.slice(0, 20)}"`)
        if (size === 0) {
          body.state = 'trailers'
        } else {
          body.left = size
          body.state = 'data'
        }
      } else if (line === '') {
        // the empty line after the trailers ends the body
        this.finish()
        return data
      }
    }
    return data
  }
}

/** The status, keep-alive and body framing of a response head. */
function parseHead (text: string): { head: ParsedResponse, body: Body } {
  const lines = text.split('\r\n')
  const statusLine = lines[0] ?? ''
  const match = /^HTTP\/1\.([01]) (\d{3})/.exec(statusLine)
  if (match === null) throw new ResponseParseError(`not an HTTP/1.x status line: "${statusLine.slice(0, 40)}"`)
  let keepAlive = match[1] === '1'
  let length: number | undefined
  let chunked = false
  let keepAliveTimeoutMs: number | undefined
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    const name = line.slice(0, colon).trim().toLowerCase()
    const value = line.slice(colon + 1).trim().toLowerCase()
    if (name === 'content-length') {
      length = Number(value)
      if (!Number.isSafeInteger(length) || length < 0) throw new ResponseParseError(`bad content-length "${value.slice(0, 20)}"`)
    } else if (name === 'transfer-encoding') {
      chunked = value.split(',').map((part) => part.trim()).at(-1) === 'chunked'
    } else if (name === 'connection') {
      if (value.includes('close')) keepAlive = false
      else if (value.includes('keep-alive')) keepAlive = true
    } else if (name === 'keep-alive') {
      const timeout = /timeout=(\d+)/.exec(value)
      if (timeout !== null) keepAliveTimeoutMs = Number(timeout[1]) * 1000
    }
  }
  const head: ParsedResponse = { status: Number(match[2]), keepAlive }
  if (keepAliveTimeoutMs !== undefined) head.keepAliveTimeoutMs = keepAliveTimeoutMs
  if (chunked) return { head, body: { kind: 'chunked', left: 0, state: 'size' } }
  if (length !== undefined) return { head, body: { kind: 'length', left: length } }
  return { head: { ...head, keepAlive: false }, body: { kind: 'until-close' } }
}
