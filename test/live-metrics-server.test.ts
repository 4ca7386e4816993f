import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CutoverError } from '../src/core/errors.js'
import { isLoopbackHost, parseMetricsAddress } from '../src/report/live/metrics-address.js'
import { MetricsServer } from '../src/report/live/metrics-server.js'
import { runCli } from './support/cli.js'
import { startServer, type TestServer } from './support/servers.js'

let dir: string
let service: TestServer
let taken: Server
let takenPort: number
let served = 0

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cutover-metrics-'))
  service = await startServer((_req, res) => { served++; res.end('ok') }, { keepBodies: false })
  taken = createServer()
  takenPort = await new Promise<number>((resolve) => { taken.listen(0, '127.0.0.1', () => { resolve((taken.address() as { port: number }).port) }) })
})
afterAll(async () => {
  await service.close()
  await new Promise((resolve) => taken.close(resolve))
  rmSync(dir, { recursive: true, force: true })
})

/** The error `work` throws. */
function thrown (work: () => unknown): unknown {
  try {
    work()
  } catch (error) {
    return error
  }
  return undefined
}

describe('--metrics addresses', () => {
  it('host:port, [ipv6]:port, or a port alone on 127.0.0.1', () => {
    expect(parseMetricsAddress('9464')).toEqual({ host: '127.0.0.1', port: 9464 })
    expect(parseMetricsAddress('127.0.0.1:9464')).toEqual({ host: '127.0.0.1', port: 9464 })
    expect(parseMetricsAddress('localhost:0')).toEqual({ host: 'localhost', port: 0 })
    expect(parseMetricsAddress('[::1]:9464')).toEqual({ host: '::1', port: 9464 })
    // a non-loopback address is the user's choice when written out
    expect(parseMetricsAddress('0.0.0.0:9464')).toEqual({ host: '0.0.0.0', port: 9464 })
  })

  it('anything else is a usage error that says what to write', () => {
    for (const bad of ['', 'abc', ':9464', '127.0.0.1:', '127.0.0.1:99999', '127.0.0.1:94a4', '[nothost]:80', 'http://127.0.0.1:9464']) {
      const error = thrown(() => parseMetricsAddress(bad))
      expect(error, bad).toBeInstanceOf(CutoverError)
      expect((error as CutoverError).code).toBe('USAGE')
      expect((error as CutoverError).message).toBe(`--metrics expects host:port such as 127.0.0.1:9464, or a port, got "${bad}"`)
    }
  })

  it('knows the loopback addresses', () => {
    expect(['127.0.0.1', '127.1.2.3', 'localhost', '::1', 'LOCALHOST'].map(isLoopbackHost)).toEqual([true, true, true, true, true])
    expect(['0.0.0.0', '10.0.0.7', '::', 'example.com'].map(isLoopbackHost)).toEqual([false, false, false, false])
  })
})

describe('the metrics endpoint', () => {
  it('answers GET /metrics with the text of the moment, counts scrapes, and 404 elsewhere', async () => {
    let value = 1
    const server = await MetricsServer.start({ host: '127.0.0.1', port: 0 }, () => `x ${value}\n`)
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.address.port}/metrics`)
      expect(server.exposed).toBe(false)
      const scraped = server.nextScrape()
      const first = await fetch(server.url)
      expect(first.status).toBe(200)
      expect(first.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8')
      expect(await first.text()).toBe('x 1\n')
      await scraped
      value = 2
      expect(await (await fetch(server.url)).text()).toBe('x 2\n')
      expect(server.scrapes).toBe(2)
      expect((await fetch(`http://127.0.0.1:${server.address.port}/`)).status).toBe(404)
      expect((await fetch(server.url, { method: 'POST' })).status).toBe(405)
      expect(server.scrapes).toBe(2)
    } finally {
      await server.close()
    }
  })

  it('a port in use is a usage error naming the address', async () => {
    const error = await MetricsServer.start({ host: '127.0.0.1', port: takenPort }, () => '').catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(CutoverError)
    expect((error as CutoverError).code).toBe('USAGE')
    expect((error as CutoverError).message).toBe(`--metrics 127.0.0.1:${takenPort}: cannot listen: the port is in use`)
  })
})

describe('cutover run --metrics on the command line', () => {
  const scenario = (): string => {
    const file = join(dir, 'metrics.yaml')
    writeFileSync(file, `name: metrics\ntargets: { svc: { url: "${service.url}" } }\nrequests: [{ name: home, path: / }]\nphases: [{ name: steady, duration: 1s, rate: 20 }]\n`)
    return file
  }

  it('exit 2 without a stack trace for a value that is not host:port, and before any load', async () => {
    const before = served
    const run = await runCli(['run', scenario(), '--out', join(dir, 'bad'), '--metrics', 'nine'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('--metrics expects host:port such as 127.0.0.1:9464, or a port, got "nine"')
    expect(run.stderr).not.toMatch(/\n\s+at /)
    expect(served).toBe(before)
  })

  it('exit 2 without a stack trace when the port is in use, and before any load', async () => {
    const before = served
    const run = await runCli(['run', scenario(), '--out', join(dir, 'taken'), '--metrics', `127.0.0.1:${takenPort}`])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(`--metrics 127.0.0.1:${takenPort}: cannot listen: the port is in use`)
    expect(run.stderr).not.toMatch(/\n\s+at /)
    expect(served).toBe(before)
  })

  it('exit 2 for --metrics-linger without --metrics, or with a value that is not a duration', async () => {
    const alone = await runCli(['run', scenario(), '--metrics-linger', '5s'])
    expect(alone.code).toBe(2)
    expect(alone.stderr).toContain('--metrics-linger goes with --metrics')
    const bad = await runCli(['run', scenario(), '--metrics', '0', '--metrics-linger', 'soon'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--metrics-linger expects a duration up to 10m such as 30s, got "soon"')
  })
})
