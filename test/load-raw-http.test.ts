import { createServer, type Server } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { ResponseParser, type ParsedResponse } from '../src/load/raw-http/response-parser.js'
import { RawPool } from '../src/load/raw-http/raw-pool.js'
import { serialiseRequest } from '../src/load/raw-http/fast-path.js'

/** Feeds `text` to a parser in pieces of `step` bytes; returns what it completed. */
function read (text: string, step: number, head = false): ParsedResponse[] {
  const done: ParsedResponse[] = []
  const parser = new ResponseParser((response) => done.push(response))
  const bytes = Buffer.from(text, 'latin1')
  for (let at = 0; at < bytes.length; at += step) parser.feed(bytes.subarray(at, at + step), () => head)
  parser.end()
  return done
}

describe('reading responses on the fast path', () => {
  const pipelined = [
    'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello',
    'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nwiki\r\n5\r\npedia\r\n0\r\nX-Trailer: 1\r\n\r\n',
    'HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n',
    'HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n',
    'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 2\r\n\r\nno'
  ].join('')

  it('finds where each response ends, whatever the chunks: length, chunked with extensions and trailers, 1xx, 204, close', () => {
    for (const step of [1, 2, 7, 64, 100_000]) {
      expect(read(pipelined, step), `in pieces of ${step}`).toEqual([
        { status: 200, keepAlive: true },
        { status: 201, keepAlive: true },
        { status: 204, keepAlive: true },
        { status: 404, keepAlive: true },
        { status: 503, keepAlive: false }
      ])
    }
  })

  it('a HEAD answer has no body though it names a length; a body without framing runs to the close', () => {
    expect(read('HTTP/1.1 200 OK\r\nContent-Length: 999\r\n\r\n', 3, true)).toEqual([{ status: 200, keepAlive: true }])
    expect(read('HTTP/1.0 200 OK\r\n\r\nall of it until the end', 5)).toEqual([{ status: 200, keepAlive: false }])
  })

  it('reads the keep-alive timeout a server announces', () => {
    expect(read('HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5\r\nContent-Length: 0\r\n\r\n', 4)).toEqual([{ status: 200, keepAlive: true, keepAliveTimeoutMs: 5000 }])
    expect(read('HTTP/1.1 200 OK\r\nkeep-alive: max=100, timeout=75\r\ncontent-length: 0\r\n\r\n', 100)).toEqual([{ status: 200, keepAlive: true, keepAliveTimeoutMs: 75_000 }])
  })

  it('refuses what is not an HTTP/1.x response, and says a response was cut short', () => {
    expect(() => read('SSH-2.0-OpenSSH\r\n\r\n', 100)).toThrow(/not an HTTP\/1.x status line/)
    expect(() => read('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 100)).toThrow(/bad chunk size/)
    const parser = new ResponseParser(() => {})
    parser.feed(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'), () => false)
    expect(parser.end()).toBe(true)
  })

  it('serialises a request once: method, path, host, headers, body with its length', () => {
    const bytes = serialiseRequest({ spec: {} as never, method: 'POST', path: '/orders?x=1', headers: { 'content-type': 'application/json' }, body: '{"a":1}' }, new URL('http://127.0.0.1:8080'))
    expect(bytes.toString('latin1')).toBe('POST /orders?x=1 HTTP/1.1\r\nhost: 127.0.0.1:8080\r\ncontent-type: application/json\r\ncontent-length: 7\r\n\r\n{"a":1}')
  })
})

describe('the raw keep-alive pool against a real server', () => {
  let server: Server | undefined
  afterEach(async () => { await new Promise((resolve) => server?.close(resolve)) })

  const listen = async (handler: Parameters<typeof createServer>[1]): Promise<number> => {
    server = createServer(handler)
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
    return (server?.address() as { port: number }).port
  }

  const sendAll = async (pool: RawPool, port: number, count: number, timeoutMs = 5000): Promise<Array<number | string>> => {
    const bytes = serialiseRequest({ spec: {} as never, method: 'GET', path: '/', headers: undefined, body: undefined }, new URL(`http://127.0.0.1:${port}`))
    return await Promise.all(Array.from({ length: count }, async () => await new Promise<number | string>((resolve) => {
      pool.send(bytes, false, timeoutMs, { done: resolve, failed: (error) => resolve(String(error.code)) })
    })))
  }

  it('answers every request, reusing a few connections, and closes when drained', async () => {
    const sockets = new Set<unknown>()
    const port = await listen((req, res) => { sockets.add(req.socket); res.end('ok') })
    const pool = new RawPool('127.0.0.1', port, 4)
    expect(await sendAll(pool, port, 200)).toEqual(Array.from({ length: 200 }, () => 200))
    expect(sockets.size).toBeLessThanOrEqual(4)
    await pool.whenDrained()
    pool.destroy(new Error('done'))
  })

  it('a server that closes after each answer: what was queued behind it goes on other connections', async () => {
    const port = await listen((_req, res) => { res.setHeader('connection', 'close'); res.end('bye') })
    const pool = new RawPool('127.0.0.1', port, 2)
    expect(await sendAll(pool, port, 30)).toEqual(Array.from({ length: 30 }, () => 200))
    pool.destroy(new Error('done'))
  })

  it('does not reuse a connection idle for longer than the server keeps it, less 2 s (as undici): no request is written into its close', async () => {
    const sockets = new Set<unknown>()
    const port = await listen((req, res) => { sockets.add(req.socket); res.end('ok') })
    // Node announces `keep-alive: timeout=3`: reused within 1 s, then closed and replaced
    if (server !== undefined) server.keepAliveTimeout = 3000
    const pool = new RawPool('127.0.0.1', port, 4)
    expect(await sendAll(pool, port, 1)).toEqual([200])
    expect(await sendAll(pool, port, 1)).toEqual([200])
    expect(sockets.size).toBe(1)
    await new Promise((resolve) => setTimeout(resolve, 1300))
    expect(await sendAll(pool, port, 1)).toEqual([200])
    expect(sockets.size).toBe(2)
    pool.destroy(new Error('done'))
  })

  it('a request past its timeout fails as a timeout; nothing listening is refused', async () => {
    const port = await listen(() => {})
    const pool = new RawPool('127.0.0.1', port, 2)
    expect(await sendAll(pool, port, 3, 200)).toEqual(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT'])
    pool.destroy(new Error('done'))
    const closed = new RawPool('127.0.0.1', 1, 2)
    expect(await sendAll(closed, 1, 2)).toEqual(['ECONNREFUSED', 'ECONNREFUSED'])
  })
})
