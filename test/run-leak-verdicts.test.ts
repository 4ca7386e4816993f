import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from './support/servers.js'
import { silentProgress } from '../src/run/progress.js'
import { runScenario } from '../src/run/run-scenario.js'
import { parseScenario } from '../src/scenario/load.js'

const fixture = fileURLToPath(new URL('./fixtures/memory-server.mjs', import.meta.url))
let dir: string

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'cutover-leak-')) })
afterAll(() => { rmSync(dir, { recursive: true, force: true }) })

describe('leak verdicts of real services', () => {
  it('a leaking service is flagged and fails checks.leak; a cache that fills and stops is not', async () => {
    const [cachePort, leakPort] = [await freePort(), await freePort()]
    const scenario = parseScenario(`
name: soak
targets:
  old: { url: "http://127.0.0.1:${cachePort}", start: { command: "node ${fixture}", env: { PORT: "${cachePort}", CACHE_ENTRIES: "1500", CACHE_ENTRY_BYTES: "20000" } } }
  new: { url: "http://127.0.0.1:${leakPort}", start: { command: "node ${fixture}", env: { PORT: "${leakPort}", LEAK_BYTES: "4000" } } }
requests: [{ name: hit, path: / }]
phases:
  - { name: warmup, duration: 2s, rate: 100 }
  - { name: soak, duration: 24s, rate: 200 }
sampling: { interval: 200ms }
checks: { leak: { maxGrowth: 5MB/min } }
`, join(dir, 'soak.yaml'))
    const messages: string[] = []
    const progress = { ...silentProgress, message: (text: string) => { messages.push(text) } }
    const { result } = await runScenario(scenario, { out: join(dir, 'run'), schedule: 'concurrent', seed: 3, progress, signal: new AbortController().signal, env: {} })
    // a 24 s soak is too short for the verdict's measured accuracy, and the run says so before it starts
    expect(messages[0]).toMatch(/^checks\.leak: this run has 24 s of steady load after warm-up; the leak verdict needs about 3 min .*: lengthen `soak` to at least 3 min\.$/)
    // 200 req/s × 4 KB = 800 KB/s = 48 MB/min of leak
    const leak = result.targets.new?.leak
    expect(leak?.verdict, leak?.reason).toBe('leak')
    expect(leak?.slopeBytesPerSec).toBeGreaterThan(300_000)
    expect(leak?.slopeCi[0]).toBeGreaterThan(5e6 / 60)
    const cache = result.targets.old?.leak
    expect(cache?.verdict, cache?.reason).not.toBe('leak')
    const checks = result.checks.filter((check) => check.id === 'leak')
    expect(checks.find((check) => check.target === 'new')?.status).toBe('fail')
    expect(checks.find((check) => check.target === 'old')?.status).not.toBe('fail')
    expect(result.verdict).toBe('fail')
    // new grows faster than old: said with confidence, or at least not denied
    expect(result.comparison?.metrics.find((m) => m.name === 'memoryGrowth')?.verdict).not.toBe('pass')
  })
})
