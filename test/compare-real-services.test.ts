import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from './support/servers.js'
import { silentProgress } from '../src/run/progress.js'
import { runScenario } from '../src/run/run-scenario.js'
import { parseScenario } from '../src/scenario/load.js'

const fixture = fileURLToPath(new URL('./fixtures/cpu-server.mjs', import.meta.url))
let dir: string

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'cutover-compare-')) })
afterAll(() => { rmSync(dir, { recursive: true, force: true }) })

async function compareRun (name: string, oldWorkMs: number, newWorkMs: number): Promise<Awaited<ReturnType<typeof runScenario>>['result']> {
  const [oldPort, newPort] = [await freePort(), await freePort()]
  const scenario = parseScenario(`
name: ${name}
targets:
  old: { url: "http://127.0.0.1:${oldPort}", start: { command: "node ${fixture}", env: { PORT: "${oldPort}", WORK_MS: "${oldWorkMs}" } } }
  new: { url: "http://127.0.0.1:${newPort}", start: { command: "node ${fixture}", env: { PORT: "${newPort}", WORK_MS: "${newWorkMs}" } } }
requests: [{ name: work, path: / }]
phases:
  - { name: warmup, duration: 1s, rate: 100 }
  - { name: steady, duration: 12s, rate: 200 }
  - { name: flood, duration: 6s, connections: 4 }
sampling: { interval: 250ms }
`, join(dir, `${name}.yaml`))
  const { result } = await runScenario(scenario, { out: join(dir, name), sliceMs: 2000, seed: 7, progress: silentProgress, signal: new AbortController().signal, env: {} })
  return result
}

describe('old vs new on real services', () => {
  it('A/A: the same service as both targets reports no regression', async () => {
    const result = await compareRun('aa', 2, 2)
    expect(result.schedule).toBe('interleaved')
    const metrics = result.comparison?.metrics ?? []
    expect(metrics.map((m) => m.name)).toEqual(expect.arrayContaining(['p50', 'p95', 'p99', 'throughput', 'errorRate', 'cpuPerRequest', 'rssMean', 'rssPeak']))
    const failed = result.checks.filter((check) => check.status === 'fail')
    expect(failed, failed.map((check) => check.message).join('\n')).toEqual([])
    expect(result.verdict).not.toBe('fail')
    // some settle within a short run; the rest may stay inconclusive, never failed
    expect(metrics.filter((m) => m.verdict === 'pass').length).toBeGreaterThanOrEqual(1)
    for (const metric of metrics) expect(metric.method).not.toBe('')
  })

  it('a service doing twice the CPU work per request fails on throughput, p99 and CPU per request', async () => {
    const result = await compareRun('double', 2, 4)
    const verdict = (name: string): string | undefined => result.comparison?.metrics.find((m) => m.name === name)?.verdict
    if (process.env.SHOW !== undefined) console.log(result.comparison?.metrics.map((m) => m.message).join('\n'))
    expect(verdict('throughput')).toBe('fail')
    expect(verdict('p50')).toBe('fail')
    expect(verdict('p99')).toBe('fail')
    expect(verdict('cpuPerRequest')).toBe('fail')
    expect(result.verdict).toBe('fail')
    const throughput = result.comparison?.metrics.find((m) => m.name === 'throughput')
    expect(throughput?.ratio).toBeLessThan(0.85)
    expect(throughput?.ci[1]).toBeLessThan(0.95)
  })
})
