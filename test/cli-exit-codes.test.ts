import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunResult } from '../src/core/result-types.js'
import { runCli, signalAfterRequests } from './support/cli.js'
import { startServer, type TestServer } from './support/servers.js'

let dir: string
let server: TestServer
let slow: TestServer

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cutover-cli-'))
  server = await startServer((_req, res) => res.end('ok'), { keepBodies: false })
  slow = await startServer((_req, res) => { setTimeout(() => res.end('slow'), 30) }, { keepBodies: false })
})
afterAll(async () => {
  await server.close()
  await slow.close()
  rmSync(dir, { recursive: true, force: true })
})

function scenario (name: string, body: string): string {
  const file = join(dir, `${name}.yaml`)
  writeFileSync(file, body)
  return file
}

const simple = (url: string, checks = '', duration = '1s'): string => `
name: cli
targets: { svc: { url: "${url}" } }
requests: [{ name: home, path: / }]
phases: [{ name: steady, duration: ${duration}, rate: 50 }]
${checks}
`

describe('the CLI returns the SPEC §4 exit codes', () => {
  it('0: validate accepts a valid scenario', async () => {
    const run = await runCli(['validate', scenario('valid', simple(server.url))])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^ok: .*valid\.yaml — 1 target\(s\), 1 request\(s\)/)
  })

  it('2: validate rejects an invalid scenario with file:line:column field and a hint, no stack trace', async () => {
    const file = scenario('invalid', `name: cli\ntargets: { svc: { url: "${server.url}" } }\nrequests: [{ name: home, path: /, wieght: 2 }]\nphases: [{ name: p, duration: 1s, rate: 5 }]\n`)
    const run = await runCli(['validate', file])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain(`${file}:3:35 requests[0].wieght: unknown key "wieght"; did you mean "weight"?`)
    expect(run.stderr).not.toMatch(/\n\s+at /)
  })

  it('2: usage errors (unknown command, missing file, bad flag)', async () => {
    expect((await runCli(['launch'])).code).toBe(2)
    const missing = await runCli(['run', join(dir, 'nope.yaml')])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('scenario file not found')
    const seed = await runCli(['run', scenario('seed', simple(server.url)), '--seed', 'abc'])
    expect(seed.code).toBe(2)
    expect(seed.stderr).toContain('--seed expects a whole number')
  })

  it('0: a run whose checks pass writes result.json and timeline.ndjson and prints the run directory', async () => {
    const out = join(dir, 'pass-run')
    const run = await runCli(['run', scenario('pass', simple(server.url, 'checks: { slo: { p99: 1s, errorRate: 1% } }')), '--out', out])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('verdict: PASS')
    expect(run.stdout).toContain(`run directory: ${out}`)
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult
    expect(result.status).toBe('completed')
    expect(result.verdict).toBe('pass')
    expect(result.targets.svc?.requests.total).toBe(50)
    const lines = readFileSync(join(out, 'timeline.ndjson'), 'utf8').trim().split('\n')
    expect(lines.length).toBeGreaterThanOrEqual(1)
    expect(lines.reduce((sum, line) => sum + (JSON.parse(line) as { requests: number }).requests, 0)).toBe(50)
  })

  it('1: a failed SLO check', async () => {
    const run = await runCli(['run', scenario('fail', simple(slow.url, 'checks: { slo: { p50: 5ms } }')), '--out', join(dir, 'fail-run')])
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/FAIL {2}svc slo\.p50: p50 3\d\.\d ms > 5 ms/)
    expect(run.stdout).toContain('verdict: FAIL')
  })

  it('3: an unreachable target, with what was measured so far kept', async () => {
    const out = join(dir, 'unreachable-run')
    const file = scenario('unreachable', `
name: cli
targets:
  up: { url: "${server.url}" }
  down: { url: "http://127.0.0.1:9" }
requests: [{ name: home, path: / }]
phases: [{ name: steady, duration: 1s, rate: 20 }]
`)
    const run = await runCli(['run', file, '--out', out])
    expect(run.code).toBe(3)
    expect(run.stdout).toContain('target "down": nothing answers at 127.0.0.1:9')
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult
    expect(result.status).toBe('failed')
    expect(result.targets.up?.requests.total).toBe(20)
    expect(result.failures).toEqual([expect.objectContaining({ target: 'down', code: 'TARGET_UNREACHABLE' })])
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('nothing answers at 127.0.0.1:9')
  })

  it('3: a start command that exits before it is ready names the target and the log', async () => {
    const out = join(dir, 'crash-run')
    const file = scenario('crash', `
name: cli
targets:
  broken:
    url: "http://127.0.0.1:9"
    start: { command: "node -e \\"console.error('boom'); process.exit(4)\\"", ready: /health }
requests: [{ name: home, path: / }]
phases: [{ name: steady, duration: 1s, rate: 20 }]
`)
    const run = await runCli(['run', file, '--out', out])
    expect(run.code).toBe(3)
    expect(run.stderr + run.stdout).toContain('target "broken": "node -e')
    expect(run.stderr + run.stdout).toContain('exited with code 4 before it was ready')
    expect(readFileSync(join(out, 'logs', 'broken.log'), 'utf8')).toContain('boom')
    expect(existsSync(join(out, 'result.json'))).toBe(true)
  })

  it('130: Ctrl-C stops the run and still writes result.json marked interrupted', async () => {
    const out = join(dir, 'interrupted-run')
    // Ctrl-C once the service has answered `answered` requests (2 s of load), not on a clock racing the CLI's start
    const answered = 100
    const run = await runCli(['run', scenario('long', simple(server.url, '', '30s')), '--out', out], { onStart: signalAfterRequests(server.server, answered, 'SIGINT') })
    expect(run.code).toBe(130)
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult
    expect(result.status).toBe('interrupted')
    // every answered request is kept; the load stopped long before its 30 s (1500 requests)
    expect(result.targets.svc?.requests.total).toBeGreaterThanOrEqual(answered)
    expect(result.targets.svc?.requests.total).toBeLessThan(400)
  })
})
