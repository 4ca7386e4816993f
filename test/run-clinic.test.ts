import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunResult } from '../src/core/result-types.js'
import { freePort } from './support/servers.js'
import { runCli } from './support/cli.js'

const fixture = fileURLToPath(new URL('./fixtures/cpu-server.mjs', import.meta.url))
let dir: string

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'cutover-clinic-')) })
afterAll(() => { rmSync(dir, { recursive: true, force: true }) })

describe('profiling with Clinic.js', () => {
  it('profile: doctor runs the service under clinic doctor and keeps its report in the run directory', { timeout: 180_000 }, async () => {
    const port = await freePort()
    const file = join(dir, 'doctor.yaml')
    writeFileSync(file, `
name: doctor
targets:
  svc:
    url: http://127.0.0.1:${port}
    start: { command: "node ${fixture}", env: { PORT: "${port}", WORK_MS: "1" } }
    profile: doctor
requests: [{ name: work, path: / }]
phases: [{ name: steady, duration: 3s, rate: 50 }]
`)
    const out = join(dir, 'run')
    const run = await runCli(['run', file, '--out', out], { timeoutMs: 180_000 })
    expect(run.code, run.stderr).toBe(0)
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult
    const profile = result.targets.svc?.profile
    expect(profile?.tool).toBe('doctor')
    expect(profile?.path).toMatch(/^clinic\/svc\/\d+\.clinic-doctor\.html$/)
    const html = join(out, profile?.path ?? 'missing')
    expect(existsSync(html)).toBe(true)
    expect(statSync(html).size).toBeGreaterThan(50_000)
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('clinic-doctor.html')
  })

  it('a start command that does not run node directly is refused with what to do', async () => {
    const port = await freePort()
    const file = join(dir, 'npm.yaml')
    writeFileSync(file, `
name: npmstart
targets:
  svc: { url: "http://127.0.0.1:${port}", start: { command: "npm start" }, profile: flame }
requests: [{ name: work, path: / }]
phases: [{ name: steady, duration: 1s, rate: 5 }]
`)
    const run = await runCli(['run', file, '--out', join(dir, 'npm-run')])
    expect(run.code).toBe(3)
    expect(run.stdout + run.stderr).toContain('profile: flame needs a start command that runs node directly')
  })
})
