// sendToTarget, the one request a shadow run or the proxy's mirror sends to a service (issue 18, item 2): the answer as
// compared (status, lower-case headers, body up to 1 MiB), and failures as data, every call ended by its timeout.
import { Agent } from 'undici'
import { afterAll, describe, expect, it } from 'vitest'
import { headerRecord, maxCompareBytes, overTargetHeaders, sendToTarget } from '../src/shadow/send.js'
import type { ShadowRequest } from '../src/shadow/sources.js'
import { freePort, startServer } from './support/servers.js'

const agent = new Agent({ connections: 4 })
afterAll(async () => { await agent.close() })

const shadowRequest = (overrides: Partial<ShadowRequest> = {}): ShadowRequest => ({
  endpoint: 'GET /', method: 'GET', path: '/', headers: {}, body: undefined, timeoutMs: 5000, allowMutating: false, spec: undefined, ...overrides
})

describe('sendToTarget', () => {
  it('returns status, lower-case headers (repeated ones joined) and the body; sends the method, path, body and both header sets', async () => {
    const server = await startServer((_req, res, body) => {
      res.setHeader('X-Multi', ['a', 'b'])
      res.writeHead(201, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify({ echoed: body }))
    })
    try {
      const answer = await sendToTarget(agent, new URL(server.url), shadowRequest({
        endpoint: 'POST /items', method: 'POST', path: '/items?x=1', headers: { 'content-type': 'text/plain', 'x-from': 'request' }, body: 'hello'
      }), { 'x-from': 'target', 'x-target': 'new' })
      expect(answer).toMatchObject({ status: 201, body: '{"echoed":"hello"}', truncated: false, error: undefined })
      expect(answer.headers['content-type']).toBe('application/json')
      expect(answer.headers['x-multi']).toBe('a, b')
      expect(answer.latencyMs).toBeGreaterThan(0)
      expect(server.received).toHaveLength(1)
      expect(server.received[0]).toMatchObject({ method: 'POST', path: '/items?x=1', body: 'hello' })
      // the request's own headers win over the target's
      expect(server.received[0]?.headers).toMatchObject({ 'x-from': 'request', 'x-target': 'new' })
    } finally {
      await server.close()
    }
  })

  it('percent-encodes a path a request line cannot carry (a replayed entry with a space), and passes other paths as given', async () => {
    const server = await startServer((_req, res) => { res.end('ok') })
    try {
      const spaced = await sendToTarget(agent, new URL(server.url), shadowRequest({ path: '/search?q=a b#top' }), {})
      const plain = await sendToTarget(agent, new URL(server.url), shadowRequest({ path: '/a/../b?x=%2F' }), {})
      expect([spaced.status, plain.status]).toEqual([200, 200])
      expect(server.received.map((entry) => entry.path)).toEqual(['/search?q=a%20b', '/a/../b?x=%2F'])
    } finally {
      await server.close()
    }
  })

  it('takes answer headers named like Object.prototype\'s members as headers, and leaves one named __proto__ out', async () => {
    const server = await startServer((_req, res) => {
      res.setHeader('constructor', 'c')
      res.setHeader('__proto__', 'p')
      res.setHeader('X-Twice', ['1', '2'])
      res.end('ok')
    })
    try {
      const answer = await sendToTarget(agent, new URL(server.url), shadowRequest(), {})
      expect(answer.headers.constructor).toBe('c')
      expect(answer.headers['x-twice']).toBe('1, 2')
      expect(Object.getPrototypeOf(answer.headers)).toBe(Object.prototype)
      expect(Object.keys(answer.headers)).not.toContain('__proto__')
    } finally {
      await server.close()
    }
  })

  it('cuts a body longer than 1 MiB at exactly 1 MiB and says so', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200)
      res.end('x'.repeat(maxCompareBytes + maxCompareBytes / 2))
    })
    try {
      const answer = await sendToTarget(agent, new URL(server.url), shadowRequest(), {})
      expect(answer.status).toBe(200)
      expect(answer.truncated).toBe(true)
      expect(answer.body.length).toBe(maxCompareBytes)
      expect(answer.error).toBeUndefined()
    } finally {
      await server.close()
    }
  })

  it('ends a call whose answer trickles in past its timeout, though every chunk came within it, as a timeout', async () => {
    let hungUp: (finished: boolean) => void = () => {}
    const closed = new Promise<boolean>((resolve) => { hungUp = resolve })
    const server = await startServer((_req, res) => {
      res.writeHead(200)
      // one byte every 50 ms, 200 of them (10 s) unless the caller hangs up first: every loop in a test is bounded
      let sent = 0
      const timer = setInterval(() => {
        if (++sent >= 200) { clearInterval(timer); res.end(); return }
        res.write('.')
      }, 50)
      res.on('close', () => { clearInterval(timer); hungUp(res.writableFinished) })
    })
    try {
      const answer = await sendToTarget(agent, new URL(server.url), shadowRequest({ timeoutMs: 400 }), {})
      expect(answer).toMatchObject({ status: 0, body: '', error: 'timeout' })
      expect(answer.latencyMs).toBeGreaterThanOrEqual(390)
      // the call hung up on the server, which never got to finish its answer
      expect(await closed).toBe(false)
    } finally {
      await server.close()
    }
  })

  it('reports a service that never answers as a timeout, and one that is not there as refused', async () => {
    const server = await startServer(() => { /* never answers */ })
    try {
      const silent = await sendToTarget(agent, new URL(server.url), shadowRequest({ timeoutMs: 300 }), {})
      expect(silent).toMatchObject({ status: 0, error: 'timeout', truncated: false })
    } finally {
      await server.close()
    }
    const port = await freePort()
    const missing = await sendToTarget(agent, new URL(`http://127.0.0.1:${port}`), shadowRequest(), {})
    expect(missing).toMatchObject({ status: 0, error: 'refused' })
  })
})

describe('headers as sent and as compared', () => {
  it('puts a request\'s own headers over its target\'s, and copies nothing when the target adds none', () => {
    const own = { accept: 'application/json', 'x-from': 'request' }
    expect(overTargetHeaders({}, own)).toBe(own)
    expect(overTargetHeaders({ 'x-from': 'target', authorization: 'Bearer t' }, own)).toEqual({ 'x-from': 'request', authorization: 'Bearer t', accept: 'application/json' })
    expect(own).toEqual({ accept: 'application/json', 'x-from': 'request' })
  })

  it('flattens headers to lower-case names with repeated values joined, leaving out absent ones and the one named', () => {
    expect(headerRecord({ 'Content-Type': 'text/plain', 'Set-Cookie': ['a=1', 'b=2'], 'X-None': undefined, 'Content-Length': '5' }, 'content-length'))
      .toEqual({ 'content-type': 'text/plain', 'set-cookie': 'a=1, b=2' })
  })
})
