import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunResult } from '../src/core/result-types.js'
import { runCli, type CliRun } from './support/cli.js'
import { startServer, type TestServer } from './support/servers.js'

// Each failing-service mode of issue 8, run through the CLI as a user would: a clear message, errors counted by
// kind in result.json, a report, and the SPEC §4 exit code.

let dir: string
const servers: TestServer[] = []

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'cutover-failing-')) })
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()))
  rmSync(dir, { recursive: true, force: true })
})

async function serve (handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const server = await startServer(handler, { keepBodies: false })
  servers.push(server)
  return server
}

interface Outcome { run: CliRun, result: RunResult, elapsedMs: number, out: string }

async function runAgainst (name: string, url: string, request: string, phase: string, checks = ''): Promise<Outcome> {
  const file = join(dir, `${name}.yaml`)
  writeFileSync(file, `
name: ${name}
targets: { svc: { url: "${url}" } }
requests: [{ name: home, path: /${request} }]
phases: [{ name: steady, ${phase} }]
${checks}
`)
  const out = join(dir, name)
  const started = performance.now()
  const run = await runCli(['run', file, '--out', out], { timeoutMs: 90_000 })
  const elapsedMs = performance.now() - started
  expect(existsSync(join(out, 'report.html')), `${name}: report.html`).toBe(true)
  expect(run.stderr).not.toMatch(/\n\s+at /)
  return { run, result: JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult, elapsedMs, out }
}

describe('failing services end in a clear message, counted errors, a report and the SPEC exit code', () => {
  it('3: a service that resets every connection is declared unreachable after 5 s of no answer, and its load stops', async () => {
    const server = await serve((req) => { req.socket.destroy() })
    const { run, result } = await runAgainst('resetting', server.url, '', 'duration: 20s, rate: 20')
    expect(run.code).toBe(3)
    expect(run.stdout).toMatch(/target "svc" never answered: no HTTP response for [56]\.\d s while \d+ requests failed \(reset \d+\)/)
    expect(run.stdout).toContain('closes them without an answer')
    expect(result.status).toBe('failed')
    expect(result.failures).toEqual([expect.objectContaining({ target: 'svc', code: 'TARGET_UNREACHABLE' })])
    const svc = result.targets.svc
    expect(svc?.events.map((event) => event.type)).toEqual(['unreachable'])
    expect(svc?.requests.byError.reset).toBeGreaterThanOrEqual(95)
    // the load stopped at the verdict, long before the planned 20 s (400 requests)
    expect(svc?.requests.total).toBeLessThan(200)
    expect(svc?.requests.ok).toBe(0)
  })

  it('1: a service that resets one connection in four: errors counted by kind, the error-rate check fails', async () => {
    let n = 0
    const server = await serve((req, res) => {
      if (++n % 4 === 0) req.socket.destroy()
      else res.end('ok')
    })
    const { run, result } = await runAgainst('flaky', server.url, '', 'duration: 3s, rate: 40', 'checks: { slo: { errorRate: 1% } }')
    expect(run.code).toBe(1)
    expect(result.status).toBe('completed')
    const requests = result.targets.svc?.requests
    expect(requests?.total).toBe(120)
    expect(requests?.byError.reset).toBe(30)
    expect(requests?.ok).toBe(90)
    expect(run.stdout).toMatch(/FAIL {2}svc slo\.errorRate: error rate 25\.00% > 1\.00% \(reset 30\)/)
  })

  it('3: a service that stops listening mid-run: connections refused, the target became unreachable', async () => {
    // it stops listening once it has answered `answered` requests (1.5 s of load at 20 req/s), not on a clock that
    // would race the CLI's start: a slow start must not turn "stopped answering" into "nothing answers"
    const answered = 30
    let seen = 0
    const server = await serve((req, res) => {
      const n = ++seen
      if (n > answered) { req.socket.destroy(); return }
      res.end('ok', () => { if (n === answered) { server.server.close(); server.server.closeAllConnections() } })
    })
    const { run, result } = await runAgainst('vanishing', server.url, '', 'duration: 20s, rate: 20')
    expect(run.code).toBe(3)
    expect(run.stdout).toMatch(/target "svc" stopped answering: no HTTP response for [56]\.\d s while \d+ requests failed \(refused \d+/)
    expect(run.stdout).toContain(`nothing accepts connections at 127.0.0.1:${server.port}`)
    const requests = result.targets.svc?.requests
    expect(requests?.ok).toBeGreaterThanOrEqual(answered)
    expect(requests?.byError.refused).toBeGreaterThanOrEqual(95)
    // the verdict comes after the answered load (answered / 20 req/s) and then 5 s of silence
    expect(result.targets.svc?.events[0]?.t).toBeGreaterThan(answered / 20 + 5)
  })

  it('3: a service slower than the request timeout: every request times out, the hint says to raise timeout:', async () => {
    const server = await serve((_req, res) => { setTimeout(() => { if (!res.destroyed) res.end('late') }, 2000) })
    const { run, result, elapsedMs } = await runAgainst('too-slow', server.url, ', timeout: 500ms', 'duration: 30s, rate: 20')
    expect(run.code).toBe(3)
    expect(run.stdout).toContain("no answer came within the requests' timeout (500 ms); if the service is only slow, raise timeout: on the requests")
    const svc = result.targets.svc
    // about 5 s of load before the target is given up on: every request times out, but for those still within
    // their 500 ms when the load stops, which are cut off
    expect(svc?.requests.byError.timeout).toBeGreaterThanOrEqual(85)
    expect((svc?.requests.byError.timeout ?? 0) + (svc?.requests.byError['cut off'] ?? 0)).toBe(svc?.requests.total)
    expect(svc?.requests.ok).toBe(0)
    // timeouts are latencies too, measured from the intended send time
    expect(svc?.latencyMs.p50).toBeGreaterThanOrEqual(500)
    expect(elapsedMs).toBeLessThan(20_000)
  })

  it('3: a hanging service with a long timeout: the run still ends on time through the drain deadline', async () => {
    const server = await serve(() => {})
    const { run, result, elapsedMs } = await runAgainst('hanging', server.url, ', timeout: 60s', 'duration: 2s, rate: 20')
    expect(run.code).toBe(3)
    expect(run.stdout).toMatch(/target "svc" answered no request: 40 ended without an HTTP response \(cut off 40\)/)
    expect(result.targets.svc?.requests.byError['cut off']).toBe(40)
    // 2 s of load + at most 10 s of drain, far less than the 60 s timeout
    expect(elapsedMs).toBeGreaterThan(11_000)
    expect(elapsedMs).toBeLessThan(25_000)
  })

  it('1: a service answering slowly but within the timeout: latency measured in full, the p99 check fails', async () => {
    const server = await serve((_req, res) => { setTimeout(() => res.end('slow'), 300) })
    const { run, result } = await runAgainst('slow', server.url, '', 'duration: 3s, rate: 20', 'checks: { slo: { p99: 100ms } }')
    expect(run.code).toBe(1)
    expect(result.status).toBe('completed')
    const svc = result.targets.svc
    expect(svc?.requests.ok).toBe(60)
    expect(svc?.latencyMs.p50).toBeGreaterThanOrEqual(300)
    expect(svc?.latencyMs.p50).toBeLessThan(450)
    expect(run.stdout).toMatch(/FAIL {2}svc slo\.p99: p99 3\d\d\.\d ms > 100 ms/)
  })
})
