import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from './support/servers.js'
import { isAlive } from '../src/targets/process-tree.js'
import type { RunResult } from '../src/core/result-types.js'
import { runCli, signalAfterRequests } from './support/cli.js'
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
    // killed once the service has answered `answered` requests (2 s of load), not on a clock racing the CLI's start
    const answered = 200
    const killed = await runCli(['run', file, '--out', out], { onStart: signalAfterRequests(server.server, answered, 'SIGKILL') })
    expect(killed.signal).toBe('SIGKILL')
    expect(existsSync(join(out, 'result.json'))).toBe(false)
    const rebuilt = await runCli(['report', out])
    expect(rebuilt.code, rebuilt.stderr).toBe(0)
    expect(rebuilt.stderr).toContain('rebuilt from timeline.ndjson')
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult
    expect(result.incomplete).toBe(true)
    expect(result.status).toBe('interrupted')
    // about the `answered` requests were measured: the last interval (or a late one) lost, a few sent before the kill
    expect(result.targets.svc?.requests.total).toBeGreaterThan(answered - 100)
    expect(result.targets.svc?.requests.total).toBeLessThan(answered + 100)
    expect(result.checks.map((check) => check.id)).toContain('slo.p99')
    expect(existsSync(join(out, 'report.html'))).toBe(true)
    expect(existsSync(join(out, 'junit.xml'))).toBe(true)
  })

  it('a bug that escapes everything (thrown from a timer) exits 70 and still stops the services cutover started', async () => {
    const pidFile = join(dir, 'crash.pids')
    writeFileSync(pidFile, '')
    const harness = fileURLToPath(new URL('./fixtures/crashing-harness.mjs', import.meta.url))
    const child = spawn(process.execPath, [harness], {
      env: { ...process.env, PORT: String(await freePort()), PID_FILE: pidFile, LOG_FILE: join(dir, 'crash.log') },
      stdio: ['ignore', 'ignore', 'pipe']
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
    expect(code).toBe(70)
    expect(stderr).toContain('cutover: internal error (please report it): Error: a bug in the middle of a run')
    expect(stderr).toContain('cutover: stopped 1 service(s) it had started')
    const pids = readFileSync(pidFile, 'utf8').trim().split('\n').map(Number)
    expect(pids.length).toBe(2)
    // SIGKILL is delivered at once, but let the kernel finish the job
    await new Promise((resolve) => setTimeout(resolve, 300))
    // a zombie (killed, not yet reaped by its new parent) counts as stopped
    for (const pid of pids) expect(isAlive(pid), `pid ${pid} still running`).toBe(false)
  })
})
