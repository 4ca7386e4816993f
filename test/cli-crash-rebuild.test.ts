import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunResult } from '../src/core/result-types.js'
import { runCli } from './support/cli.js'
import { startServer, type TestServer } from './support/servers.js'

let dir: string
let server: TestServer

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cutover-crash-'))
  server = await startServer((_req, res) => res.end('ok'), { keepBodies: false })
})
afterAll(async () => {
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('after cutover itself is killed', () => {
  it('kill -9 mid-run, then `cutover report` rebuilds result.json from the timeline, marked incomplete, and writes the report', async () => {
    const file = join(dir, 'long.yaml')
    writeFileSync(file, `
name: long
targets: { svc: { url: "${server.url}" } }
requests: [{ name: home, path: / }]
phases: [{ name: steady, duration: 30s, rate: 100 }]
checks: { slo: { p99: 1s } }
sampling: { interval: 250ms }
`)
    const out = join(dir, 'run')
    const killed = await runCli(['run', file, '--out', out], { onStart: (child) => { setTimeout(() => child.kill('SIGKILL'), 2500) } })
    expect(killed.signal).toBe('SIGKILL')
    expect(existsSync(join(out, 'result.json'))).toBe(false)
    const rebuilt = await runCli(['report', out])
    expect(rebuilt.code, rebuilt.stderr).toBe(0)
    expect(rebuilt.stderr).toContain('rebuilt from timeline.ndjson')
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult
    expect(result.incomplete).toBe(true)
    expect(result.status).toBe('interrupted')
    // about 2 s at 100 req/s were measured, at most one interval lost
    expect(result.targets.svc?.requests.total).toBeGreaterThan(100)
    expect(result.targets.svc?.requests.total).toBeLessThan(300)
    expect(result.checks.map((check) => check.id)).toContain('slo.p99')
    expect(existsSync(join(out, 'report.html'))).toBe(true)
    expect(existsSync(join(out, 'junit.xml'))).toBe(true)
  })
})
