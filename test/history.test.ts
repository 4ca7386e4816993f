import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findChangePoints } from '../src/analysis/history/change-points.js'
import { buildHistory } from '../src/analysis/history/history-series.js'
import { standardNormal } from '../src/analysis/stats/random.js'
import { welchTest } from '../src/analysis/stats/welch.js'
import { readHistorySources } from '../src/baseline/history-sources.js'
import { saveBaseline } from '../src/baseline/save-baseline.js'
import type { EnvironmentInfo } from '../src/core/environment.js'
import { seededRandom } from '../src/core/random.js'
import type { RunResult } from '../src/core/result-types.js'
import { createHistogram, recordUs } from '../src/metrics/histogram.js'
import type { PlannedPhase } from '../src/plan/phases.js'
import { rebuildResult } from '../src/rundir/rebuild-result.js'
import { writeResultFile } from '../src/rundir/result-file.js'
import { writeRunPlan, type RunPlanFile } from '../src/rundir/run-plan-file.js'
import type { TimelineLine } from '../src/rundir/timeline-line.js'
import { BrowserSession, openFile, waitForCharts } from './support/browser.js'
import { runCli } from './support/cli.js'
import { answeredLine } from './support/timeline-lines.js'

describe('Welch test and change points (scipy 1.17.1)', () => {
  it('welchTest matches scipy.stats.ttest_ind(b, a, equal_var=False)', () => {
    // a = [812, 798, 805], b = [668, 655, 671]: statistic −22.066395812996387, p 3.334125122562359e-05, df 3.8573466476462186
    const one = welchTest([812, 798, 805], [668, 655, 671])
    expect(one?.t).toBeCloseTo(-22.066395812996387, 9)
    expect(one?.df).toBeCloseTo(3.8573466476462186, 9)
    expect(one?.pValue).toBeCloseTo(3.334125122562359e-05, 12)
    // a = [10.2, 9.8, 10.1, 10.4, 9.9, 10.0], b = [11.3, 11.0, 11.6, 11.1]: 7.442822340725624, p 0.00041814393943025255, df 5.596026490066221
    const two = welchTest([10.2, 9.8, 10.1, 10.4, 9.9, 10.0], [11.3, 11.0, 11.6, 11.1])
    expect(two?.t).toBeCloseTo(7.442822340725624, 9)
    expect(two?.df).toBeCloseTo(5.596026490066221, 9)
    expect(two?.pValue).toBeCloseTo(0.00041814393943025255, 12)
    expect(welchTest([1], [1, 2])).toBeUndefined()
    expect(welchTest([2, 2], [2, 2])?.pValue).toBe(1)
    expect(welchTest([2, 2], [3, 3])?.pValue).toBe(0)
  })

  // numpy.random.default_rng(7): 100 + N(0, 2) rounded to 2 places, +10 from index 19 (run 20)
  const stepped = [100.0, 100.6, 99.45, 98.22, 99.09, 98.02, 100.12, 102.68, 99.02, 98.76, 100.98, 100.71, 100.21, 98.14, 99.94, 101.39, 97.31, 99.08, 96.2,
    107.42, 106.32, 109.53, 107.47, 110.54, 110.31, 109.63, 104.97, 108.92, 109.9, 110.23]

  it('finds the step at run 20 with the split and p-value scipy gives for the largest |t|', () => {
    // max over splits 3…27 of |ttest_ind(v[k:], v[:k], equal_var=False).statistic| is at k = 19:
    // statistic 13.954877544226077, p 4.2994018728423446e-11, df 17.996878713729572
    const changes = findChangePoints(stepped)
    expect(changes.map((change) => change.index)).toEqual([19])
    const change = changes[0]
    expect(change?.pValue).toBeCloseTo(4.2994018728423446e-11, 20)
    expect(change?.splitsTried).toBe(25)
    const before = stepped.slice(0, 19).reduce((a, b) => a + b) / 19
    const after = stepped.slice(19).reduce((a, b) => a + b) / 11
    expect(change?.before).toBeCloseTo(before, 10)
    expect(change?.after).toBeCloseTo(after, 10)
    expect(change?.relative).toBeCloseTo((after - before) / before, 10)
    expect(change?.noiseMultiple).toBeGreaterThan(4)
  })

  it('flags nothing in noise alone, nor a significant step smaller than the noise, nor a step in the last two runs', () => {
    expect(findChangePoints(stepped.slice(0, 19))).toEqual([])
    expect(findChangePoints([...stepped.slice(0, 19), ...stepped.slice(0, 11)])).toEqual([])
    // a shift of 0.9 noise sd over 200 runs is significant but not larger than the noise
    const random = seededRandom(3)
    const small = Array.from({ length: 200 }, (_, i) => 100 + standardNormal(random) + (i >= 100 ? 0.9 : 0))
    expect(findChangePoints(small)).toEqual([])
    expect(findChangePoints([...stepped.slice(0, 19), 130, 130])).toEqual([])
    expect(findChangePoints([...stepped.slice(0, 19), 130, 130, 130]).map((change) => change.index)).toEqual([19])
  })

  it('finds two steps (binary segmentation), skips runs without the figure, and counts indices in the series given', () => {
    const twice = [...stepped.slice(0, 10), ...stepped.slice(0, 10).map((v) => v + 20), ...stepped.slice(0, 10).map((v) => v - 10)]
    expect(findChangePoints(twice).map((change) => change.index)).toEqual([10, 20])
    const gaps = [NaN, ...stepped.slice(0, 19), NaN, ...stepped.slice(19)]
    expect(findChangePoints(gaps).map((change) => change.index)).toEqual([21])
  })
})

const intervalMs = 1000
const phases: PlannedPhase[] = [{ kind: 'open', name: 'steady', durationMs: 8000, fromRate: 200, toRate: 200, maxInFlight: 0 }]

function environment (run: number): EnvironmentInfo {
  return { cutover: '0.1.0', node: 'v20.20.2', platform: 'linux', release: 'x', arch: 'x64', cpuModel: 'cpu', cores: 2, memoryBytes: 1e9, ci: true, commit: (run * 0x1f2e3d).toString(16).padStart(40, 'a') }
}

/** A run of 8 one-second intervals per target, 200 log-normal latencies each; new's median is `newMedianMs`. */
function writeRun (reports: string, run: number, newMedianMs: number, random: () => number): string {
  const startMs = Date.UTC(2026, 10, 1) + run * 86_400_000
  const startedAt = new Date(startMs).toISOString()
  // the machine's drift from run to run: a few percent on everything
  const drift = 1 + 0.02 * standardNormal(random)
  const lines: TimelineLine[] = []
  for (const [target, medianMs] of [['old', 20], ['new', newMedianMs]] as const) {
    for (let t = 1; t <= 8; t++) {
      const histogram = createHistogram()
      for (let i = 0; i < 200; i++) recordUs(histogram, medianMs * drift * 1000 * Math.exp(0.3 * standardNormal(random)))
      lines.push({ ...answeredLine({ t, startMs, target, phase: 'steady', intervalMs }, 200, histogram), resources: { rssBytes: 80e6 + 1e5 * t, cpuPercent: 20 * drift } })
    }
  }
  const plan: RunPlanFile = {
    schemaVersion: 1,
    tool: { name: 'cutover', version: '0.1.0' },
    scenario: { name: 'synth', file: '/x/synth.yaml' },
    command: 'run',
    startedAt,
    schedule: 'interleaved',
    settings: { intervalMs, seed: run },
    phases,
    targets: { old: { url: 'http://127.0.0.1:1' }, new: { url: 'http://127.0.0.1:2' } },
    slo: {},
    environment: environment(run)
  }
  const dir = join(reports, `synth-202611${String(run).padStart(2, '0')}T000000Z`)
  mkdirSync(dir, { recursive: true })
  const measured = rebuildResult(plan, lines)
  const result: RunResult = { ...measured, status: 'completed', checks: [], verdict: 'pass', endedAt: new Date(startMs + 8000).toISOString() }
  delete result.incomplete
  // a leak verdict and a capacity knee, as a soak and `cutover capacity` would add them: steady, a few percent apart
  for (const target of Object.values(result.targets)) {
    const slopeBytesPerSec = 2000 * (1 + 0.05 * standardNormal(random))
    target.leak = { verdict: 'stable', slopeBytesPerSec, slopeCi: [0, 2 * slopeBytesPerSec], pValue: 0.5, signal: 'heap', reason: 'stable', fit: { t0Sec: 0, interceptBytes: 50e6 } }
    const maxRps = Math.round(1000 * drift)
    target.capacity = { maxRps, limitedBy: 'latency', bracket: [maxRps, maxRps + 100], curve: [] }
  }
  writeRunPlan(dir, plan)
  writeFileSync(join(dir, 'timeline.ndjson'), lines.map((line) => JSON.stringify(line)).join('\n') + '\n')
  writeResultFile(dir, result)
  return dir
}

describe('cutover history on 30 run directories with a step at run 20', () => {
  let root: string
  const browser = new BrowserSession()
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'cutover-history-'))
    const random = seededRandom(20)
    const dirs: string[] = []
    for (let run = 1; run <= 30; run++) dirs.push(writeRun(join(root, 'reports'), run, run >= 20 ? 26 : 20, random))
    // run 5 was accepted as the baseline; an interrupted run and a run of another scenario lie beside them
    saveBaseline(dirs[4] ?? '', { dir: join(root, 'baselines') })
    const broken = join(root, 'reports', 'synth-broken')
    mkdirSync(broken)
    writeFileSync(join(broken, 'result.json'), '{ not json')
    await browser.start()
  }, 60_000)
  afterAll(async () => {
    await browser.close()
    rmSync(root, { recursive: true, force: true })
  })

  it('reads every run once, marks the accepted baseline on the run it was saved from, and passes over what it cannot read', () => {
    const sources = readHistorySources([join(root, 'reports'), join(root, 'baselines')])
    expect(sources.scenario).toBe('synth')
    expect(sources.runs).toHaveLength(30)
    expect(sources.runs.filter((run) => run.accepted).map((run) => run.label)).toEqual(['synth-20261105T000000Z'])
    expect(sources.skipped.map((entry) => entry.path)).toEqual([join(root, 'reports', 'synth-broken')])
    const last = readHistorySources([join(root, 'reports')], { last: 10, acceptedBaseline: join(root, 'baselines', 'synth.json') })
    // the newest ten, and the accepted baseline's run before them
    expect(last.runs.map((run) => run.label)).toEqual(['synth-20261105T000000Z', ...Array.from({ length: 10 }, (_, i) => `synth-202611${21 + i}T000000Z`)])
  })

  it('flags new\'s p50 and p99 from run 20 (and nothing of old)', () => {
    const sources = readHistorySources([join(root, 'reports'), join(root, 'baselines')])
    const history = buildHistory(sources.scenario, sources.runs)
    const newSteps = history.changes.filter((change) => change.target === 'new' && (change.metric === 'p50' || change.metric === 'p99'))
    expect(newSteps.map((change) => [change.metric, change.index + 1, change.direction])).toEqual(expect.arrayContaining([['p50', 20, 'worse'], ['p99', 20, 'worse']]))
    expect(newSteps.find((change) => change.metric === 'p50')?.relative).toBeGreaterThan(0.2)
    expect(newSteps.find((change) => change.metric === 'p50')?.relative).toBeLessThan(0.4)
    expect(history.changes.filter((change) => change.target === 'old')).toEqual([])
    // every figure followed, the soak's leak slope and the capacity knee included, with no step where there was none
    expect(history.series.map((entry) => `${entry.target} ${entry.metric.id}`)).toEqual(expect.arrayContaining(['new leakSlope', 'old capacity', 'new cpuPerRequest', 'old rssPeak']))
    expect(history.changes.filter((change) => change.metric === 'leakSlope' || change.metric === 'capacity' || change.metric === 'throughput')).toEqual([])
    expect(history.series.find((entry) => entry.target === 'new' && entry.metric.id === 'leakSlope')?.values[0]).toBeCloseTo(2000 * 60 / 1e6, 1)
    expect(history.standing.map((change) => change.metric)).toEqual(expect.arrayContaining(['p50', 'p99']))
  })

  it('writes history.html and history.md; the command prints the step with its run and commit, exit 1 only with --fail-on-regression', async () => {
    const out = join(root, 'out')
    const run = await runCli(['history', join(root, 'reports'), join(root, 'baselines'), '--out', out])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('synth: 30 run(s)')
    expect(run.stdout).toMatch(/worse +new p50 latency \+\d+\.\d% \([\d.]+ ms → [\d.]+ ms\) from run synth-20261120T000000Z \(commit [0-9a-f]{10}\)/)
    expect(run.stdout).toContain('REGRESSED: ')
    expect(run.stdout).toContain('passed over 1 path(s)')
    const markdown = readFileSync(join(out, 'history.md'), 'utf8')
    expect(markdown).toContain('## ❌ REGRESSED — synth history')
    expect(markdown).toMatch(/\| new \| p50 latency \| run 20: synth-20261120T000000Z \|/)
    expect(markdown).toContain('```mermaid')
    expect(markdown).toMatch(/\| 5 \| `synth-20261105T000000Z` \|[^\n]*\| accepted \|/)
    const strict = await runCli(['history', join(root, 'reports'), '--out', out, '--fail-on-regression'])
    expect(strict.code).toBe(1)
    const bad = await runCli(['history', join(root, 'nowhere')])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('does not exist')
    expect(bad.stderr).not.toMatch(/\n\s+at /)
  }, 60_000)

  it('history.html draws every trend chart offline in Chromium, with the step and the baseline marked', async () => {
    const { page, watch } = await openFile(browser.get(), join(root, 'out', 'history.html'))
    await waitForCharts(page)
    expect(watch.consoleErrors).toEqual([])
    expect(watch.pageErrors).toEqual([])
    expect(watch.requests).toEqual([])
    expect(await page.textContent('.verdict-word')).toBe('REGRESSED')
    expect(await page.textContent('.brand')).toBe('cutover history')
    const charts = await page.$$eval('canvas[data-chart]', (nodes) => nodes.map((node) => node.getAttribute('data-chart')))
    expect(charts).toEqual(['history-p50', 'history-p99', 'history-throughput', 'history-cpuPerRequest', 'history-rssPeak', 'history-leakSlope', 'history-capacity'])
    const steps = await page.$$eval('[data-section="steps"] tbody tr', (rows) => rows.map((row) => row.textContent ?? ''))
    expect(steps.some((row) => row.includes('p50 latency') && row.includes('run 20: '))).toBe(true)
    const runs = await page.$$eval('[data-section="runs"] tbody tr', (rows) => rows.length)
    expect(runs).toBe(30)
  }, 60_000)
})
