// CLI conventions of CI tools (issue 17, item 5): --json on stdout, -e for env(), validate - from stdin, and a live
// line that explains itself.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generatorBehindExplained, plainProgress } from '../src/cli/progress-output.js'
import type { IntervalSnapshot } from '../src/metrics/recorder.js'
import { cliPath, runCli } from './support/cli.js'

let dir: string
let server: Server
let url: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cutover-conventions-'))
  server = createServer((req, res) => { res.end(req.headers['x-token'] === 'from-flag' ? 'ok' : 'no token') })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
})
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  rmSync(dir, { recursive: true, force: true })
})

const scenarioText = (): string => [
  'name: conventions',
  `targets: { svc: { url: "${url}" } }`,
  'requests: [{ name: root, path: /, headers: { x-token: "{{ env(\'TOKEN\') }}" }, expect: { status: 200, bodyContains: ok } }]',
  'phases: [{ name: steady, duration: 1s, rate: 20 }]',
  ''
].join('\n')

describe('CLI conventions', () => {
  it('run --json prints result.json\'s object on stdout, and -e sets what env() reads', async () => {
    const file = join(dir, 'run.yaml')
    writeFileSync(file, scenarioText())
    const run = await runCli(['run', file, '--json', '-e', 'TOKEN=from-flag', '--out', join(dir, 'run'), '-q'])
    expect(run.code, run.stderr).toBe(0)
    const result = JSON.parse(run.stdout) as { targets: { svc: { requests: { ok: number, total: number } } } }
    expect(result.targets.svc.requests.ok).toBe(20)
    expect(run.stderr).toContain('run directory:')
    const bad = await runCli(['run', file, '-e', 'not a pair', '-q'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('-e expects KEY=VALUE')
  })

  it('validate --json lists every file\'s problems with file, line, column and field; validate - reads stdin', async () => {
    const good = join(dir, 'good.yaml')
    const broken = join(dir, 'broken.yaml')
    writeFileSync(good, scenarioText())
    writeFileSync(broken, scenarioText().replace('duration: 1s', 'duration: soon'))
    const checked = await runCli(['validate', good, broken, '--json'])
    expect(checked.code).toBe(2)
    const report = JSON.parse(checked.stdout) as { ok: boolean, scenarios: Array<{ ok: boolean, file: string, problems?: Array<{ line: number, column: number, field: string, message: string }> }> }
    expect(report.ok).toBe(false)
    expect(report.scenarios.map((s) => s.ok)).toEqual([true, false])
    expect(report.scenarios[1]?.problems?.[0]).toMatchObject({ line: 4, field: 'phases[0].duration' })
    const stdin = await new Promise<{ code: number | null, stdout: string }>((resolve) => {
      const child = spawn(process.execPath, [cliPath, 'validate', '-'], { stdio: ['pipe', 'pipe', 'pipe'] })
      let stdout = ''
      child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
      child.once('exit', (code) => { resolve({ code, stdout }) })
      child.stdin.end(scenarioText())
    })
    expect(stdin.code).toBe(0)
    expect(stdin.stdout).toContain('ok: - — 1 target(s), 1 request(s)')
  })

  it('the live line stops its clock at the total and explains "generator behind" the first time it shows', () => {
    let written = ''
    const sink = plainProgress({ write: (text: string) => { written += text; return true } } as unknown as NodeJS.WritableStream, 0)
    const snapshot = (late: number): IntervalSnapshot => ({ startMs: 0, endMs: 1000, phase: 'steady', counts: { total: 100, ok: 100, failed: 0, byStatus: {}, byError: {} }, latencyMs: { p50: 1, p90: 1, p95: 1, p99: 2, p999: 2, max: 2, mean: 1 }, histogram: '', sendLagMs: { p50: 0, p99: 0, max: 0 }, generator: { sent: 100, dropped: 0, late }, inFlight: 0, slice: 1, carried: [] })
    sink.phaseStarted('svc', 'steady', '100 req/s')
    sink.interval('svc', snapshot(0), 11_000, 10_000)
    sink.interval('svc', snapshot(3), 12_000, 10_000)
    sink.interval('svc', snapshot(4), 13_000, 10_000)
    expect(written).toContain('10s/10s (finishing)')
    expect(written).not.toContain('11s/10s')
    expect(written.split(generatorBehindExplained).length - 1).toBe(1)
  })
})
