import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { latencyWindows } from '../src/analysis/compare/latency-windows.js'
import { seededRandom } from '../src/core/random.js'
import { standardNormal } from '../src/analysis/stats/random.js'
import { baselineKind, baselineSchemaVersion, type BaselineFile } from '../src/analysis/baseline/baseline-format.js'
import { encodedLatencyWindows, targetSeries } from '../src/analysis/baseline/baseline-series.js'
import { environmentCheck, planCheck } from '../src/analysis/baseline/comparability.js'
import { inBaselineWords } from '../src/analysis/baseline/compare-baseline.js'
import { evenGroups, mergeEvenly, pickEvenly } from '../src/analysis/baseline/downsample.js'
import { loadBaseline } from '../src/baseline/load-baseline.js'
import { baselineFileName } from '../src/baseline/save-baseline.js'
import { snapshotRun } from '../src/analysis/baseline/snapshot-run.js'
import type { EnvironmentInfo } from '../src/core/environment.js'
import { CutoverError } from '../src/core/errors.js'
import { compactHistogram, pooledPercentileUs } from '../src/metrics/histogram-values.js'
import { createHistogram, decodeHistogram, recordUs } from '../src/metrics/histogram.js'
import type { PlannedPhase } from '../src/plan/phases.js'
import { rebuildResult } from '../src/rundir/rebuild-result.js'
import type { TimelineLine } from '../src/rundir/timeline-line.js'
import type { RunPlanFile } from '../src/rundir/run-plan-file.js'
import { answeredLine } from './support/timeline-lines.js'

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/baseline/${name}`, import.meta.url))
let dir: string

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'cutover-baseline-file-')) })
afterAll(() => { rmSync(dir, { recursive: true, force: true }) })

/** A timeline line of `requests` log-normal latencies (median `medianMs`, σ 0.5 on the log scale). */
function line (random: () => number, t: number, phase: string, requests: number, medianMs = 2, rssBytes?: number): TimelineLine {
  const histogram = createHistogram()
  for (let i = 0; i < requests; i++) recordUs(histogram, medianMs * 1000 * Math.exp(0.5 * standardNormal(random)))
  const at = { t, startMs: Date.UTC(2026, 0, 1), target: 'svc', phase, intervalMs: 1000 }
  return { ...answeredLine(at, requests, histogram), ...(rssBytes === undefined ? {} : { resources: { rssBytes, cpuPercent: 40 + 10 * random() } }) }
}

describe('downsampling stored series', () => {
  it('picks evenly spaced values, first and last included', () => {
    // positions round(i × 9 / 3) for i = 0..3
    expect(pickEvenly([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 4)).toEqual([0, 3, 6, 9])
    expect(pickEvenly([5, 6, 7], 300)).toEqual([5, 6, 7])
    expect(pickEvenly([5, 6, 7], 1)).toEqual([5])
  })

  it('groups consecutive items into nearly equal groups', () => {
    // bounds floor(g × 10 / 4) for g = 0..4: 0, 2, 5, 7, 10
    expect(evenGroups(10, 4)).toEqual([[0, 2], [2, 5], [5, 7], [7, 10]])
    expect(evenGroups(3, 5)).toEqual([[0, 1], [1, 2], [2, 3]])
  })

  it('merges windows without losing a request: pooled percentiles stay exact', () => {
    const random = seededRandom(5)
    const windows = Array.from({ length: 7 }, (_, i) => line(random, i, 'steady', 250 + i).hist)
    const merged = mergeEvenly(windows, 3)
    expect(merged).toHaveLength(3)
    const before = windows.map((w) => compactHistogram(decodeHistogram(w)))
    const after = merged.map((w) => compactHistogram(decodeHistogram(w)))
    // 250 + 251 + … + 256 = 1771 requests
    expect(after.reduce((sum, w) => sum + w.total, 0)).toBe(1771)
    for (const percentile of [50, 95, 99, 100]) expect(pooledPercentileUs(after, percentile), `p${percentile}`).toBe(pooledPercentileUs(before, percentile))
  })
})

describe('stored latency windows', () => {
  it('are the windows compare-runs builds (the reference), encoded', () => {
    const random = seededRandom(9)
    // 120 + 120 closes a window at 240; the phase change closes the open 90; 90 alone stays under 200 and is dropped
    const lines = [line(random, 1, 'a', 120), line(random, 2, 'a', 120), line(random, 3, 'a', 90), line(random, 4, 'b', 300), line(random, 5, 'b', 90)]
    const reference = latencyWindows(lines)
    const encoded = encodedLatencyWindows(lines)
    expect(encoded.map((w) => compactHistogram(decodeHistogram(w)).total)).toEqual([240, 300])
    expect(encoded.map((w) => compactHistogram(decodeHistogram(w)))).toEqual(reference)
  })
})

describe('a baseline of a 10-minute run', () => {
  // 10 s warm-up at 50/s, 570 s steady at 400/s, 20 s flood with 16 connections; one line a second, memory sampled
  const phases: PlannedPhase[] = [
    { kind: 'open', name: 'warmup', durationMs: 10_000, fromRate: 50, toRate: 50, maxInFlight: 1000 },
    { kind: 'open', name: 'steady', durationMs: 570_000, fromRate: 400, toRate: 400, maxInFlight: 1000 },
    { kind: 'closed', name: 'flood', durationMs: 20_000, connections: 16 }
  ]
  const random = seededRandom(21)
  const lines: TimelineLine[] = []
  for (let t = 1; t <= 600; t++) {
    const phase = t <= 10 ? 'warmup' : t <= 580 ? 'steady' : 'flood'
    lines.push(line(random, t, phase, phase === 'warmup' ? 50 : phase === 'steady' ? 400 : 900, 2, 60e6 + t * 1000))
  }

  it('caps every series at 300 entries and keeps pooled percentiles and request counts exact', () => {
    const series = targetSeries(lines, 'svc', phases, 1000)
    expect(series.latencyModel).toBe('open')
    expect(series.originalLengths).toEqual({ latencyWindows: 570, closedThroughput: 20, cpuMsPerRequest: 590, rssBytes: 590 })
    expect(series.latencyWindows).toHaveLength(300)
    expect(series.closedThroughput).toHaveLength(20)
    expect(series.cpuMsPerRequest).toHaveLength(300)
    expect(series.rssBytes).toHaveLength(300)
    // first and last sampled compared intervals (t = 11 and t = 600)
    expect(series.rssBytes[0]).toBe(60e6 + 11_000)
    expect(series.rssBytes[299]).toBe(60e6 + 600_000)
    // 570 × 400 + 20 × 900 requests in compared intervals
    expect(series.requests).toEqual({ failed: 0, total: 246_000 })
    const reference = latencyWindows(lines.filter((l) => l.phase === 'steady'))
    const stored = series.latencyWindows.map((w) => compactHistogram(decodeHistogram(w)))
    for (const percentile of [50, 95, 99]) expect(pooledPercentileUs(stored, percentile), `p${percentile}`).toBe(pooledPercentileUs(reference, percentile))
  })

  it('stays well under a few MB as a file', () => {
    const plan: RunPlanFile = {
      schemaVersion: 1,
      tool: { name: 'cutover', version: '0.1.0' },
      scenario: { name: 'soak', file: '/x/soak.yaml' },
      command: 'run',
      startedAt: '2026-01-01T00:00:00.000Z',
      schedule: 'sequential',
      settings: { intervalMs: 1000, seed: 1 },
      phases,
      targets: { svc: { url: 'http://127.0.0.1:1' } },
      slo: {},
      environment: { cutover: '0.1.0', node: 'v20.20.2', platform: 'linux', release: 'x', arch: 'x64', cpuModel: 'cpu', cores: 2, memoryBytes: 1e9, ci: false }
    }
    const snapshot = snapshotRun({ result: { ...rebuildResult(plan, lines), checks: [], verdict: 'pass' }, lines, plan, runDirName: 'soak-20260101T000000Z' })
    const file: BaselineFile = { schemaVersion: baselineSchemaVersion, kind: baselineKind, savedAt: plan.startedAt, tool: plan.tool, ...snapshot }
    const bytes = JSON.stringify(file, null, 2).length
    // about 200 KB per target here (300 windows of a few hundred bytes, phase histograms, 3 × 300 numbers)
    if (process.env.SHOW !== undefined) console.log(`10-minute baseline: ${bytes} bytes`)
    expect(bytes).toBeLessThan(1_000_000)
  })
})

describe('loading a baseline', () => {
  const load = (path: string): CutoverError => {
    try {
      loadBaseline(path)
    } catch (error) {
      if (error instanceof CutoverError) return error
      throw error
    }
    throw new Error(`${path} loaded`)
  }

  it('a missing file says how to save one', () => {
    const path = join(dir, 'nothing.json')
    const error = load(path)
    expect(error.code).toBe('BASELINE_MISSING')
    expect(error.message).toBe(`no baseline at ${path}: save one with \`cutover baseline save <run-dir>\``)
  })

  it('corrupt JSON says restore or save again', () => {
    const path = fixture('corrupt.json')
    let parseMessage = ''
    try { JSON.parse('{\n  "schemaVersion": 1,\n  "kind": "cutover-baseline",\n  "savedAt": "2026-01-01T00:00:00.000Z",\n  "targets": {\n    "svc": { "series": [1, 2\n') } catch (error) { parseMessage = (error as Error).message }
    expect(load(path).message).toBe(`baseline ${path} is not valid JSON (${parseMessage}): restore it from version control or save the baseline again with \`cutover baseline save <run-dir>\``)
  })

  it('a file of another kind is refused, a result.json with a hint to save its run', () => {
    expect(load(fixture('wrong-kind.json')).message).toBe(`${fixture('wrong-kind.json')} is not a cutover baseline (its kind is "cutover-result", expected "cutover-baseline"): pass a file written by \`cutover baseline save\``)
    expect(load(fixture('result-like.json')).message).toBe(`${fixture('result-like.json')} is not a cutover baseline (it has no kind, expected "cutover-baseline"): it looks like a run's result.json; save that run as a baseline with \`cutover baseline save <run-dir>\``)
  })

  it('a newer schema asks to upgrade cutover or save again; an older one to save again', () => {
    expect(load(fixture('future-schema.json')).message).toBe(`${fixture('future-schema.json')}: baseline was written by a newer cutover (schema 2); this cutover reads schema 1: upgrade cutover or save the baseline again`)
    expect(load(fixture('old-schema.json')).message).toBe(`${fixture('old-schema.json')}: baseline was written by an older cutover (schema 0) that this cutover cannot migrate (it reads schema 1): save the baseline again with \`cutover baseline save <run-dir>\``)
  })

  it('a damaged file names the first bad field', () => {
    const path = join(dir, 'damaged.json')
    writeFileSync(path, JSON.stringify({ schemaVersion: 1, kind: baselineKind, savedAt: 'x', tool: { version: '0.1.0' } }))
    expect(load(path).message).toBe(`baseline ${path} is damaged: scenario: Invalid input: expected object, received undefined: restore it from version control or save the baseline again with \`cutover baseline save <run-dir>\``)
  })
})

describe('comparability', () => {
  const env: EnvironmentInfo = { cutover: '0.1.0', node: 'v20.20.2', platform: 'linux', release: '6.1', arch: 'x64', cpuModel: 'AMD EPYC', cores: 2, memoryBytes: 8e9, ci: true }

  it('the same machine passes; a Node patch release, another kernel or more memory do not matter', () => {
    const check = environmentCheck(env, { ...env, node: 'v20.21.0', release: '6.8', memoryBytes: 16e9 })
    expect(check.status).toBe('pass')
  })

  it('another CPU, core count, Node major or cutover version warns, naming each', () => {
    const check = environmentCheck(env, { ...env, cpuModel: 'Apple M2', cores: 8, node: 'v22.1.0', cutover: '0.2.0', platform: 'darwin', arch: 'arm64' })
    expect(check).toEqual({
      id: 'baseline.environment',
      status: 'warn',
      observed: 5,
      limit: 0,
      unit: 'differences',
      message: 'this run\'s environment differs from the baseline\'s (baseline → this run: CPU "AMD EPYC" → "Apple M2"; 2 → 8 cores; Node v20.20.2 → v22.1.0; cutover 0.1.0 → 0.2.0; linux/x64 → darwin/arm64): the comparison may be unfair — run where the baseline was saved, or save a new baseline on this machine'
    })
  })

  it('a changed load plan warns; an unchanged one adds no check', () => {
    const phases: PlannedPhase[] = [{ kind: 'open', name: 'steady', durationMs: 10_000, fromRate: 300, toRate: 300, maxInFlight: 1000 }]
    expect(planCheck({ intervalMs: 1000, phases }, { intervalMs: 1000, phases })).toBeUndefined()
    const changed = planCheck({ intervalMs: 1000, phases }, { intervalMs: 500, phases: [{ kind: 'closed', name: 'steady', durationMs: 10_000, connections: 8 }] })
    expect(changed?.status).toBe('warn')
    expect(changed?.message).toBe('the load plan changed since the baseline was saved (sampling interval 1000 → 500 ms; phases [steady 10s 300/s] → [steady 10s 8 connections]): latency and throughput depend on the load, so the comparison may be unfair — save a new baseline from a run of this plan')
  })
})

describe('names and words', () => {
  it('file names come from scenario names, made safe', () => {
    expect(baselineFileName('catalog')).toBe('catalog.json')
    expect(baselineFileName('catalog.json')).toBe('catalog.json')
    expect(baselineFileName('../etc/pass wd')).toBe('etc-pass-wd.json')
  })

  it('comparison wording says current and baseline instead of new and old', () => {
    expect(inBaselineWords('p50: new 2.10 ms vs old 2.00 ms — fail: new is clearly worse than old (only 3 old and 4 new windows); Newcombe')).toBe(
      'p50: current 2.10 ms vs baseline 2.00 ms — fail: current is clearly worse than baseline (only 3 baseline and 4 current windows); Newcombe')
  })
})
