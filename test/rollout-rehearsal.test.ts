// `cutover rollout` (issue 18, item 5): the release rehearsed on the scenario's own traffic, through the proxy, against
// services cutover starts (so their memory is sampled and the memoryGrowth gate can judge it).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunResult } from '../src/core/result-types.js'
import { silentProgress } from '../src/run/progress.js'
import { rehearseRollout } from '../src/run/run-rollout.js'
import { loadScenario } from '../src/scenario/load.js'
import { runCli } from './support/cli.js'
import { freePort } from './support/servers.js'

const cpuServer = fileURLToPath(new URL('./fixtures/cpu-server.mjs', import.meta.url))
let dir: string

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'cutover-rehearsal-')) })
afterAll(() => { rmSync(dir, { recursive: true, force: true }) })

/** A scenario file `name` with old and new started by cutover (1 ms of CPU a request each), and `rest`. */
async function scenarioFile (name: string, rest: string): Promise<string> {
  const [oldPort, newPort] = [await freePort(), await freePort()]
  const file = join(dir, `${name}.yaml`)
  writeFileSync(file, `
name: ${name}
targets:
  old: { url: "http://127.0.0.1:${oldPort}", start: { command: "node ${cpuServer}", env: { PORT: "${oldPort}", WORK_MS: "1" } } }
  new: { url: "http://127.0.0.1:${newPort}", start: { command: "node ${cpuServer}", env: { PORT: "${newPort}", WORK_MS: "1" } } }
${rest}`)
  return file
}

describe('cutover rollout: the release rehearsed', () => {
  it('drives the scenario\'s phases through the proxy; a new as good as old is rolled out step by step, every gate judged', async () => {
    const file = await scenarioFile('as-good', `requests: [{ name: item, path: /items, headers: { x-user: "u{{ randomInt(1, 1000) }}" } }]
phases:
  - { name: warmup, duration: 2s, rate: 50 }
  - { name: steady, duration: 14s, rate: 150 }
sampling: { interval: 250ms }
proxy:
  noiseSample: 0%
  rollout: { steps: [20%, 100%], hold: 4s, minRequests: 50, stickiness: "header:x-user", gates: { p99: +200% } }
`)
    const { result, runDir } = await rehearseRollout(loadScenario(file, { env: {} }), { out: join(dir, 'as-good'), seed: 5, progress: silentProgress, signal: new AbortController().signal, env: {} })
    expect(result.command).toBe('rollout')
    const proxy = result.proxy
    expect(proxy?.mode).toBe('rollout')
    expect(proxy?.rollout?.state, proxy?.rollout?.events.map((event) => event.message).join('\n')).toBe('complete')
    expect(proxy?.rollout?.events.map((event) => event.kind)).toEqual(['step', 'step', 'complete'])
    // the step was judged on every gate, memory included (both services are sampled)
    expect(proxy?.rollout?.events[1]?.message).toMatch(/^step 20%: passed after \d+ s on \d+ callers on new — errorRate (pass|inconclusive): .*; p99 (pass|inconclusive): .*; memoryGrowth (pass|inconclusive): memory: new's (heap|rss) grows/)
    // the callers went through the proxy until the rollout completed (the step held 4 s, judged on 50 callers a side
    // or more: 100 in the warm-up and 300 after it at least), then the traffic stopped: fewer than the 2,200 the phases
    // plan (2 s at 50/s, 14 s at 150/s)
    const callers = proxy?.rehearsal?.callers
    expect(proxy?.rehearsal?.phases).toEqual(['warmup', 'steady'])
    expect(callers?.requests.total).toBeGreaterThan(350)
    expect(callers?.requests.total).toBeLessThan(2200)
    expect(callers?.requests.failed).toBe(0)
    expect(callers?.phases.map((phase) => phase.name)).toEqual(['warmup', 'steady'])
    // each side answered its share of the callers: about 20% on new, judged once each side had 50
    const byNew = proxy?.rollout?.answeredByNew ?? 0
    expect(byNew).toBeGreaterThanOrEqual(50)
    expect(byNew).toBeLessThan(callers?.requests.total ?? 0)
    expect(result.targets.old?.requests.total).toBeGreaterThan(100)
    expect(result.checks.find((check) => check.id === 'rollout')).toMatchObject({ status: 'pass' })
    const written = JSON.parse(readFileSync(join(runDir, 'result.json'), 'utf8')) as RunResult
    expect(written.proxy?.rehearsal?.callers.requests.total).toBe(callers?.requests.total)
  }, 120_000)

  it('a rehearsal whose traffic ends before the rollout does is inconclusive, and says what to change', async () => {
    const file = await scenarioFile('too-short', `requests: [{ name: item, path: /items }]
phases: [{ name: steady, duration: 3s, rate: 50 }]
proxy: { rollout: { steps: [10%, 100%], hold: 1m } }
`)
    const messages: string[] = []
    const { result } = await rehearseRollout(loadScenario(file, { env: {} }), { out: join(dir, 'too-short'), seed: 5, progress: { ...silentProgress, message: (text: string) => { messages.push(text) } }, signal: new AbortController().signal, env: {} })
    expect(messages).toContain('rollout: the phases last 3 s, and holding every step takes at least 60 s: the rehearsal will end before the rollout does (lengthen the phases or shorten proxy.rollout.hold)')
    const check = result.checks.find((c) => c.id === 'rollout')
    expect(check?.status).toBe('inconclusive')
    expect(check?.message).toMatch(/^the rehearsal's traffic ended at step 10%, before the rollout was done \(lengthen the phases or shorten proxy\.rollout\.hold\): step 10%: started/)
    // with `ip` stickiness every rehearsal request comes from one address: they are placed by chance, some on new
    expect(result.proxy?.rollout?.answeredByNew).toBeGreaterThan(0)
    expect(result.proxy?.rollout?.answeredByNew).toBeLessThan(result.proxy?.rehearsal?.callers.requests.total ?? 0)
  }, 60_000)

  it('`cutover demo --rollout`: the leaking new version is fallen back from by the memoryGrowth gate, and the report says so', async () => {
    const out = join(dir, 'demo-rollout')
    const run = await runCli(['demo', '--rollout', '--out', out, '--seed', '3'], { cwd: dir, timeoutMs: 300_000 })
    expect(run.code, run.stderr).toBe(0)
    // judged on the heap, or beside a busy machine on the memory outside it (RSS − committed heap), as a CI run saw
    expect(run.stdout).toMatch(/^rollout: step (5|25|50)%: fell back at \d\d:\d\d:\d\d — memory: new's (heap|rss) grows /m)
    expect(run.stdout).toContain('the rehearsal fell back to old, as a release would')
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult
    expect(result.proxy?.rollout?.state).toBe('fell back')
    expect(result.checks.find((check) => check.id === 'rollout')?.status).toBe('fail')
    const memory = result.proxy?.rollout?.gates.find((gate) => gate.gate === 'memoryGrowth')
    expect(memory?.status).toBe('fail')
    // the callers never saw an error: the fallback is a routing decision, not an outage
    expect(result.proxy?.rehearsal?.callers.requests.failed).toBe(0)
    expect(existsSync(join(out, 'report.html'))).toBe(true)
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('fell back')
  }, 320_000)
})
