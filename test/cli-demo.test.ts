import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { RunResult } from '../src/core/result-types.js'
import { runCli } from './support/cli.js'

// The README's first command, as a new user runs it: `npx cutover demo` (here with --out, to find the run).
const dir = mkdtempSync(join(tmpdir(), 'cutover-demo-'))
afterAll(() => { rmSync(dir, { recursive: true, force: true }) })

describe('cutover demo', () => {
  it('starts both catalogue versions, compares them, finds the new one\'s leak, writes the report, exits 0', async () => {
    const out = join(dir, 'demo')
    // in a folder of its own, as in a fresh clone: no baselines/ yet
    const run = await runCli(['demo', '--out', out], { cwd: dir, timeoutMs: 170_000 })
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).not.toMatch(/Warning|\n\s+at /)
    expect(run.stdout).toContain('verdict: FAIL')
    expect(run.stdout).toContain('`cutover demo` exits 0 all the same')
    for (const file of ['result.json', 'timeline.ndjson', 'report.html', 'summary.md', 'junit.xml', 'charts/latency.png', 'logs/old.log', 'logs/new.log']) {
      expect(existsSync(join(out, file)), file).toBe(true)
    }
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult
    expect(result.status).toBe('completed')
    expect(result.schedule).toBe('interleaved')
    const { old, new: next } = result.targets
    for (const target of [old, next]) {
      expect(target?.requests.failed).toBe(0)
      expect(target?.journeys?.[0]?.completed).toBeGreaterThan(100)
      expect(target?.resources?.heapPeakBytes).toBeGreaterThan(0)
    }
    // the new version's untrimmed order cache, seen in the live heap; the old one keeps nothing
    expect(next?.leak?.verdict).toBe('leak')
    // found in the heap, over the clock or per request served (which of the two speaks first varies from run to run:
    // a fresh-clone CI run read "Heap keeps 161 KB per 1,000 requests …")
    const heapLeak = /^Heap grows|^Heap keeps [\d.]+ [KMG]?B per 1,000 requests/
    expect(next?.leak?.reason).toMatch(heapLeak)
    // old's heap does not grow; on a machine busy with other work its memory outside the heap (RSS − heap) has once
    // been read as a native leak in 90 s — a false positive of the detector's RSS side, left to the leak issue (15)
    // (the per-request form is not excluded for old: a busy CI run read old's 18 KB per 1,000 requests as a leak, a
    // false positive of the per-request path left to the leak issue, 15)
    expect(old?.leak?.verdict === 'leak' ? old.leak.reason : 'no leak').not.toMatch(/^Heap grows/)
    const growth = result.comparison?.metrics.find((metric) => metric.name === 'memoryGrowth')
    expect(growth?.verdict).toBe('fail')
    expect(result.comparison?.metrics.map((metric) => metric.name)).toEqual(expect.arrayContaining(['p50', 'p99', 'throughput', 'errorRate', 'cpuPerRequest']))
    // paired by round: the error rate (none on either side) and mean RSS settle within the 90 s
    expect(result.comparison?.metrics.find((metric) => metric.name === 'errorRate')?.verdict).toBe('pass')
    expect(result.comparison?.metrics.find((metric) => metric.name === 'p50')?.method).toMatch(/^paired by round/)
    expect(run.stdout).toContain('`cutover demo --until-settled` adds rounds')
    // the first run becomes the baseline, and says what the next one adds
    expect(result.checks.find((check) => check.id === 'baseline.file')?.status).toBe('inconclusive')
    expect(run.stdout).toContain('No baseline yet: this run is now baselines/demo.json. Run `cutover demo` again and it is compared with it')
    expect(JSON.parse(readFileSync(join(dir, 'baselines', 'demo.json'), 'utf8')).source.runDir).toBe('demo')
    expect(result.history?.runs).toBe(1)
    expect(result.history?.verdict).toBe('inconclusive')
    expect(existsSync(join(out, 'history.html'))).toBe(true)
  }, 180_000)

  it('a second demo run is compared with the baseline the first stored, and draws the trend of both', async () => {
    const out = join(dir, 'demo-again')
    // shorter phases keep the test short; the baseline check says the plan changed, and compares all the same
    const shorter = ['--set', 'phases.warmup.duration=1s', '--set', 'phases.steady.duration=5s', '--set', 'phases.flood=null', '--set', 'phases.cooldown=null']
    const run = await runCli(['demo', '--out', out, ...shorter], { cwd: dir, timeoutMs: 120_000 })
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/Compared with the baseline baselines\/demo\.json \(checks\.baseline\): \d+ check\(s\), \d+ failed\. The trend of the last 2 demo runs: demo-again\/history\.html\./)
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult
    expect(result.baseline?.file).toBe(join(dir, 'baselines', 'demo.json'))
    expect(result.baseline?.metrics.map((metric) => metric.name)).toEqual(expect.arrayContaining(['p50', 'p99']))
    expect(result.history).toMatchObject({ file: 'history.html', runs: 2 })
    const markdown = readFileSync(join(out, 'history.md'), 'utf8')
    expect(markdown).toContain('| `demo` |')
    expect(markdown).toContain('| `demo-again` |')
    expect(markdown).toMatch(/\| `demo` \|[^\n]*\| accepted \|/)
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('history.html')
  }, 130_000)

  it('takes --until-settled and --max as cutover run does (a --max alone is refused before anything starts)', async () => {
    const run = await runCli(['demo', '--out', join(dir, 'max-alone'), '--max', '2m'], { cwd: dir, timeoutMs: 60_000 })
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('--max goes with --until-settled')
    expect(existsSync(join(dir, 'max-alone', 'result.json'))).toBe(false)
  })
})
