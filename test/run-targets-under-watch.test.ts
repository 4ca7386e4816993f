import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunResult } from '../src/core/result-types.js'
import type { TimelineLine } from '../src/rundir/timeline-line.js'
import { freePort } from './support/servers.js'
import { isAlive } from '../src/targets/process-tree.js'
import { runCli } from './support/cli.js'
import { silentProgress } from '../src/run/progress.js'
import { runScenario } from '../src/run/run-scenario.js'
import { parseScenario } from '../src/scenario/load.js'

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url))
let dir: string

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'cutover-watch-')) })
afterAll(() => { rmSync(dir, { recursive: true, force: true }) })

describe('targets under watch', () => {
  it('samples the whole process tree a start command launched, and stops children that left its process group', async () => {
    const port = await freePort()
    const pidFile = join(dir, 'child.pid')
    const file = join(dir, 'tree.yaml')
    writeFileSync(file, `
name: tree
targets:
  svc:
    url: http://127.0.0.1:${port}
    start: { command: "node ${join(fixtures, 'detaching-parent.mjs')}", env: { PORT: "${port}", PID_FILE: "${pidFile}" }, stopGrace: 1s }
requests: [{ name: home, path: / }]
phases: [{ name: steady, duration: 2s, rate: 20 }]
sampling: { interval: 250ms }
`)
    const out = join(dir, 'tree-run')
    const run = await runCli(['run', file, '--out', out])
    expect(run.code, run.stderr).toBe(0)
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult
    const resources = result.targets.svc?.resources
    expect(resources?.source).toMatch(/^process tree of pid \d+/)
    // the child holds 30 MB on top of two node processes
    expect(resources?.rssPeakBytes).toBeGreaterThan(30e6 + 2 * 20e6)
    expect(resources?.samples).toBeGreaterThanOrEqual(6)
    const lines = readFileSync(join(out, 'timeline.ndjson'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as TimelineLine)
    expect(lines.filter((line) => line.resources !== undefined).length).toBeGreaterThanOrEqual(6)
    expect(lines.every((line) => (line.resources?.processes ?? 2) >= 2)).toBe(true)
    // no orphan: the detached child was stopped with its parent
    const childPid = Number(readFileSync(pidFile, 'utf8'))
    expect(isAlive(childPid)).toBe(false)
  })

  it('a monitor that cannot be read fails the target (exit 3) and still stops the service cutover had started', async () => {
    const [port, metricsPort] = [await freePort(), await freePort()]
    const pidFile = join(dir, 'unmonitored-child.pid')
    const scenario = parseScenario(`
name: unmonitored
targets:
  svc:
    url: http://127.0.0.1:${port}
    start: { command: "node ${join(fixtures, 'detaching-parent.mjs')}", env: { PORT: "${port}", PID_FILE: "${pidFile}" }, stopGrace: 1s }
    monitor: { prometheus: "http://127.0.0.1:${metricsPort}/metrics" }
requests: [{ name: home, path: / }]
phases: [{ name: steady, duration: 1s, rate: 20 }]
`, join(dir, 'unmonitored.yaml'))
    // in-process, so no exit hook of the CLI can stop the service in the run's place
    const { result } = await runScenario(scenario, { out: join(dir, 'unmonitored-run'), progress: silentProgress, signal: new AbortController().signal, env: {} })
    expect(result.failures).toEqual([expect.objectContaining({ target: 'svc', code: 'TARGET_UNREACHABLE' })])
    expect(result.status).toBe('failed')
    const childPid = Number(readFileSync(pidFile, 'utf8'))
    expect(childPid).toBeGreaterThan(0)
    expect(isAlive(childPid)).toBe(false)
  })

  it('a target that dies mid-run: recorded in events, the other target goes on, exit 3, result and timeline written', async () => {
    const [crashPort, stablePort] = [await freePort(), await freePort()]
    // old dies once it has answered `answered` requests (1 s of its load), not on a clock that starts with its process
    // and so races the start of both targets
    const answered = 50
    const file = join(dir, 'crash.yaml')
    writeFileSync(file, `
name: crash
targets:
  old:
    url: http://127.0.0.1:${crashPort}
    start: { command: "node ${join(fixtures, 'crashing-server.mjs')}", env: { PORT: "${crashPort}", CRASH_AFTER_REQUESTS: "${answered}" } }
  new:
    url: http://127.0.0.1:${stablePort}
    start: { command: "node ${join(fixtures, 'crashing-server.mjs')}", env: { PORT: "${stablePort}", CRASH_AFTER_MS: "600000" } }
requests: [{ name: home, path: / }]
phases: [{ name: steady, duration: 4s, rate: 50 }]
`)
    const out = join(dir, 'crash-run')
    const run = await runCli(['run', file, '--out', out, '--schedule', 'concurrent'])
    expect(run.code).toBe(3)
    expect(run.stdout + run.stderr).toContain('target old exited with code 7')
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult
    expect(result.status).toBe('failed')
    expect(result.failures).toEqual([expect.objectContaining({ target: 'old', code: 'TARGET_DIED' })])
    const event = result.targets.old?.events[0]
    expect(event?.type).toBe('exited')
    expect(event?.detail).toBe('exited with code 7')
    // after its answered load (1 s at 50 req/s), and noticed at once, long before the 4 s of load end
    expect(event?.t).toBeGreaterThan(answered / 50)
    expect(event?.t).toBeLessThan(answered / 50 + 2.5)
    // what old answered before it died is kept; new ran its whole plan
    expect(result.targets.old?.requests.ok).toBeGreaterThanOrEqual(answered)
    expect(result.targets.new?.requests.total).toBe(200)
    expect(existsSync(join(out, 'timeline.ndjson'))).toBe(true)
    expect(existsSync(join(out, 'report.html'))).toBe(true)
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('exited with code 7')
    expect(readFileSync(join(out, 'logs', 'old.log'), 'utf8')).toContain('crashing now')
  })

  it('a port already in use is refused before starting, naming the target', async () => {
    const port = await freePort()
    const { createServer } = await import('node:net')
    const blocker = createServer().listen(port, '127.0.0.1')
    try {
      const file = join(dir, 'busy.yaml')
      writeFileSync(file, `
name: busy
targets:
  svc: { url: "http://127.0.0.1:${port}", start: { command: "node -e 'setInterval(() => {}, 1000)'" } }
requests: [{ name: home, path: / }]
phases: [{ name: steady, duration: 1s, rate: 5 }]
`)
      const run = await runCli(['run', file, '--out', join(dir, 'busy-run')])
      expect(run.code).toBe(3)
      expect(run.stdout + run.stderr).toContain(`target "svc": something is already listening on 127.0.0.1:${port}`)
    } finally {
      blocker.close()
    }
  })

  it('a ready path that never answers 2xx times out with what to check', async () => {
    const port = await freePort()
    const file = join(dir, 'never.yaml')
    writeFileSync(file, `
name: never
targets:
  svc:
    url: "http://127.0.0.1:${port}"
    start: { command: "node ${join(fixtures, 'crashing-server.mjs')}", env: { PORT: "${port}", CRASH_AFTER_MS: "60000", HEALTH_STATUS: "503" }, ready: /health, readyTimeout: 5s }
requests: [{ name: home, path: / }]
phases: [{ name: steady, duration: 1s, rate: 5 }]
`)
    const run = await runCli(['run', file, '--out', join(dir, 'never-run')])
    expect(run.code).toBe(3)
    // 5 s, not 1.5 s: the service must be up and answering 503 before the deadline even when node starts slowly
    expect(run.stdout + run.stderr).toContain('target "svc": GET /health never answered 2xx (last: HTTP 503) within 5 s')
    expect(run.stdout + run.stderr).toContain('raise start.readyTimeout')
  })
})
