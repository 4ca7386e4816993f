import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { baselineCheck } from '../src/analysis/baseline/baseline-check.js'
import { loadBaselineForCheck, type BaselineCheckConfig } from '../src/baseline/baseline-for-check.js'
import { compareWithBaseline } from '../src/analysis/baseline/compare-baseline.js'
import { loadBaseline } from '../src/baseline/load-baseline.js'
import { readRunSnapshot } from '../src/baseline/read-run.js'
import { saveBaseline, updateBaseline } from '../src/baseline/save-baseline.js'
import { freePort } from './support/servers.js'
import { CutoverError } from '../src/core/errors.js'
import type { RunResult } from '../src/core/result-types.js'
import { silentProgress } from '../src/run/progress.js'
import { runScenario } from '../src/run/run-scenario.js'
import { parseScenario } from '../src/scenario/load.js'
import { runCli, type CliRun } from './support/cli.js'

// Two real runs of one service started by cutover (so CPU and memory are sampled): the accepted build answers
// after 2 ms, the slow build after 40 ms (10 ms was too close: a fresh-clone CI run so busy that the 2 ms build's
// p50 read 16 ms saw the 10 ms build at 21 ms, and p50 was inconclusive instead of failing). 3.5 s at 1000/s gives 14 latency windows of 250 requests, over the
// 10 a comparison needs; the 5 s flood gives about 20 closed-model intervals (3 s gave 12, and a CI run whose busy
// sampler skipped ticks left fewer than 10: the throughput comparison was inconclusive instead of failing).
const server = fileURLToPath(new URL('./fixtures/baseline/delay-server.mjs', import.meta.url))
let dir: string
let fastRun: string
let slowRun: string
let fastResult: RunResult

function scenarioText (port: number, delayMs: number): string {
  return `
name: svc
targets:
  svc: { url: "http://127.0.0.1:${port}", start: { command: "node ${server}", env: { PORT: "${port}", DELAY_MS: "${delayMs}" } } }
requests: [{ name: r, path: / }]
phases:
  - { name: warmup, duration: 500ms, rate: 100 }
  - { name: steady, duration: 3500ms, rate: 1000 }
  - { name: flood, duration: 5s, connections: 4 }
sampling: { interval: 250ms }
`
}

async function run (name: string, delayMs: number): Promise<{ runDir: string, result: RunResult }> {
  const scenario = parseScenario(scenarioText(await freePort(), delayMs), join(dir, `${name}.yaml`))
  return await runScenario(scenario, { out: join(dir, name), seed: 3, progress: silentProgress, signal: new AbortController().signal, env: {} })
}

/** `cutover …` as a user runs it, in the test's folder. */
const cli = async (args: string[]): Promise<CliRun> => await runCli(args, { cwd: dir })

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cutover-baseline-'))
  const fast = await run('fast', 2)
  fastRun = fast.runDir
  fastResult = fast.result
  slowRun = (await run('slow', 40)).runDir
}, 60_000)
afterAll(() => { rmSync(dir, { recursive: true, force: true }) })

function errorOf (action: () => unknown): CutoverError {
  try {
    action()
  } catch (error) {
    if (error instanceof CutoverError) return error
    throw error
  }
  throw new Error('no error')
}

describe('saving and loading a baseline of a real run', () => {
  it('writes baselines/<scenario>.json atomically: no temporary file left, the file parses', () => {
    const folder = join(dir, 'atomic')
    const first = saveBaseline(fastRun, { dir: folder })
    expect(first.path).toBe(join(folder, 'svc.json'))
    // saving again replaces the file in one rename
    const second = saveBaseline(fastRun, { dir: folder })
    expect(readdirSync(folder)).toEqual(['svc.json'])
    const parsed = JSON.parse(readFileSync(second.path, 'utf8')) as { kind: string, schemaVersion: number, targets: Record<string, unknown> }
    expect(parsed.kind).toBe('cutover-baseline')
    expect(parsed.schemaVersion).toBe(1)
    expect(Object.keys(parsed.targets)).toEqual(['svc'])
    expect(second.bytes).toBe(readFileSync(second.path).length)
  })

  it('keeps the run, the machine, the plan and the series', () => {
    const { path } = saveBaseline(fastRun, { dir: join(dir, 'fields'), name: 'accepted' })
    const baseline = loadBaseline(path)
    expect(path.endsWith('accepted.json')).toBe(true)
    expect(baseline.scenario.name).toBe('svc')
    expect(baseline.source.runDir).toBe('fast')
    expect(baseline.source.startedAt).toBe(fastResult.startedAt)
    expect(baseline.environment).toEqual(fastResult.environment)
    expect(baseline.plan.phases.map((p) => p.name)).toEqual(['warmup', 'steady', 'flood'])
    const svc = baseline.targets.svc
    expect(svc?.requests).toEqual(fastResult.targets.svc?.requests)
    expect(svc?.phases.map((p) => p.histogram)).toEqual(fastResult.targets.svc?.phases.map((p) => p.histogram))
    expect(svc?.resources?.samples).toBeGreaterThan(0)
    expect(svc?.series.latencyModel).toBe('open')
    expect(svc?.series.latencyWindows.length).toBeGreaterThanOrEqual(10)
    expect(svc?.series.closedThroughput.length).toBeGreaterThanOrEqual(8)
    expect(svc?.series.rssBytes.length).toBeGreaterThanOrEqual(10)
    // only the steady and flood intervals count (warm-up is not compared)
    expect(svc?.series.requests.total).toBeLessThan(svc?.requests.total ?? 0)
  })

  it('refuses a failed or interrupted run unless forced', () => {
    const copy = join(dir, 'failed-run')
    cpSync(fastRun, copy, { recursive: true })
    const result = JSON.parse(readFileSync(join(copy, 'result.json'), 'utf8')) as RunResult
    result.verdict = 'fail'
    result.checks.push({ id: 'slo.p99', target: 'svc', status: 'fail', observed: 300, limit: 250, unit: 'ms', message: 'p99 300 ms > 250 ms' })
    writeFileSync(join(copy, 'result.json'), JSON.stringify(result))
    const folder = join(dir, 'refused')
    const failed = errorOf(() => saveBaseline(copy, { dir: folder }))
    expect(failed.code).toBe('BASELINE_REFUSED')
    expect(failed.message).toBe(`the run in ${copy} failed its checks (svc slo.p99): a baseline should be an accepted run — fix what failed and run again, or pass --force to save it anyway`)
    expect(existsSync(folder)).toBe(false)
    expect(errorOf(() => updateBaseline(copy, join(folder, 'svc.json'))).message).toMatch(/failed its checks/)
    result.verdict = 'pass'
    result.status = 'interrupted'
    writeFileSync(join(copy, 'result.json'), JSON.stringify(result))
    expect(errorOf(() => saveBaseline(copy, { dir: folder })).message).toBe(`the run in ${copy} did not complete (status interrupted): a baseline should be a whole, accepted run — run it again, or pass --force to save it anyway`)
    expect(saveBaseline(copy, { dir: folder, force: true }).baseline.source.status).toBe('interrupted')
  })
})

describe('comparing a run with its baseline', () => {
  it('round trip: the same run against itself fails nothing (pass or inconclusive), and its percentiles match exactly', () => {
    const baseline = loadBaseline(saveBaseline(fastRun, { dir: join(dir, 'round') }).path)
    const { snapshot } = readRunSnapshot(fastRun)
    const { baseline: summary, checks } = compareWithBaseline(baseline, snapshot, {}, { file: 'baselines/svc.json', seed: 1 })
    const failed = checks.filter((check) => check.status === 'fail' || check.status === 'warn')
    expect(failed, failed.map((check) => check.message).join('\n')).toEqual([])
    expect(summary.targets).toEqual(['svc'])
    expect(summary.metrics.map((m) => m.name)).toEqual(['p50', 'p95', 'p99', 'throughput', 'errorRate', 'cpuPerRequest', 'rssMean', 'rssPeak'])
    for (const metric of summary.metrics) expect(metric.target).toBe('svc')
    for (const name of ['p50', 'p95', 'p99']) {
      const metric = summary.metrics.find((m) => m.name === name)
      expect(metric?.ratio, name).toBe(1)
      expect(metric?.baseline, name).toBe(metric?.current)
    }
    // identical data: no metric can be worse, though few windows may leave the interval too wide to vouch for it
    for (const metric of summary.metrics) expect(metric.verdict, metric.message).not.toBe('fail')
    expect(checks.map((check) => check.id)).toEqual(['baseline.environment', ...summary.metrics.map((m) => `baseline.${m.name}`)])
    expect(checks.find((check) => check.id === 'baseline.environment')?.status).toBe('pass')
  })

  it('a clearly slower build (40 ms against 2 ms) fails baseline.p50', () => {
    const baseline = loadBaseline(saveBaseline(fastRun, { dir: join(dir, 'slower') }).path)
    const { snapshot } = readRunSnapshot(slowRun)
    const { baseline: summary, checks } = compareWithBaseline(baseline, snapshot, {}, { file: 'baselines/svc.json' })
    const p50 = checks.find((check) => check.id === 'baseline.p50')
    expect(p50?.status, p50?.message).toBe('fail')
    expect(p50?.target).toBe('svc')
    // about 16× on a quiet machine; on a busy one the 2 ms build's latency grows most
    expect(p50?.observed).toBeGreaterThan(1.5)
    expect(p50?.message).toMatch(/^p50: current \d+\.\d+ ms vs baseline \d+\.\d+ ms, .* fail: current is clearly worse than baseline, by more than allowed$/)
    expect(summary.metrics.find((m) => m.name === 'p50')?.current).toBeGreaterThan(39)
    // 4 connections at 40 ms carry a fraction of what they carry at 2 ms
    expect(checks.find((check) => check.id === 'baseline.throughput')?.status).toBe('fail')
  })

  it('a generous tolerance from checks.baseline lets the slower build pass p50', () => {
    const baseline = loadBaseline(saveBaseline(fastRun, { dir: join(dir, 'generous') }).path)
    const { snapshot } = readRunSnapshot(slowRun)
    const { checks } = compareWithBaseline(baseline, snapshot, { p50: { kind: 'relative', fraction: 100 } }, { file: 'x' })
    expect(checks.find((check) => check.id === 'baseline.p50')?.status).toBe('pass')
    expect(checks.find((check) => check.id === 'baseline.p50')?.limit).toBe(101)
  })

  it('another machine in the stored fingerprint gives one baseline.environment warning', () => {
    const baseline = loadBaseline(saveBaseline(fastRun, { dir: join(dir, 'machine') }).path)
    const current = fastResult.environment
    baseline.environment = { ...current, cpuModel: 'Imaginary CPU 9000', cores: current.cores + 6 }
    const { snapshot } = readRunSnapshot(fastRun)
    const { checks } = compareWithBaseline(baseline, snapshot, {}, { file: 'x' })
    const warnings = checks.filter((check) => check.status === 'warn')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]?.id).toBe('baseline.environment')
    expect(warnings[0]?.message).toBe(`this run's environment differs from the baseline's (baseline → this run: CPU "Imaginary CPU 9000" → "${current.cpuModel}"; ${current.cores + 6} → ${current.cores} cores): the comparison may be unfair — run where the baseline was saved, or save a new baseline on this machine`)
  })

  it('compares targets by name: only those in both; none in common is one inconclusive check', () => {
    const baseline = loadBaseline(saveBaseline(fastRun, { dir: join(dir, 'names') }).path)
    const { snapshot } = readRunSnapshot(slowRun)
    const svc = snapshot.targets.svc
    if (svc === undefined) throw new Error('no svc')
    const { baseline: summary } = compareWithBaseline(baseline, { ...snapshot, targets: { svc, extra: svc } }, {}, { file: 'x' })
    expect(summary.targets).toEqual(['svc'])
    const none = compareWithBaseline(baseline, { ...snapshot, targets: { other: svc } }, {}, { file: 'x' })
    expect(none.baseline.metrics).toEqual([])
    expect(none.checks.map((check) => [check.id, check.status])).toEqual([['baseline.environment', 'pass'], ['baseline.targets', 'inconclusive']])
  })
})

describe('checks.baseline at the end of a run', () => {
  // what a run does at its end: load the baseline the scenario names, then compare the run's snapshot with it
  const applyBaselineCheck = (runDir: string, result: RunResult, config: BaselineCheckConfig, scenarioDir: string): ReturnType<typeof baselineCheck> =>
    baselineCheck(loadBaselineForCheck(config, scenarioDir, runDir, result.scenario.name), readRunSnapshot(runDir).snapshot, result.settings.seed)

  it('without a baseline file: one inconclusive check saying how to save one', () => {
    const scenarioDir = join(dir, 'project')
    const outcome = applyBaselineCheck(fastRun, fastResult, { file: 'baselines/svc.json' }, scenarioDir)
    expect(outcome.baseline).toBeUndefined()
    expect(outcome.checks).toHaveLength(1)
    expect(outcome.checks[0]?.id).toBe('baseline.file')
    expect(outcome.checks[0]?.status).toBe('inconclusive')
    expect(outcome.checks[0]?.message).toMatch(/^no baseline yet at .*project\/baselines\/svc\.json: save one with `cutover baseline save .*fast --dir .*project\/baselines --name svc` \(or run with --update-baseline\)$/)
  })

  it('with one: the comparison, tolerances from checks.baseline, the file as the scenario names it', () => {
    const scenarioDir = join(dir, 'project2')
    updateBaseline(fastRun, join(scenarioDir, 'baselines', 'svc.json'))
    const slow = JSON.parse(readFileSync(join(slowRun, 'result.json'), 'utf8')) as RunResult
    const outcome = applyBaselineCheck(slowRun, slow, { file: 'baselines/svc.json', p99: { kind: 'relative', fraction: 0.5 } }, scenarioDir)
    expect(outcome.baseline?.file).toBe('baselines/svc.json')
    expect(outcome.baseline?.source.runDir).toBe('fast')
    expect(outcome.checks.find((check) => check.id === 'baseline.p50')?.status).toBe('fail')
    expect(outcome.checks.find((check) => check.id === 'baseline.p99')?.limit).toBe(1.5)
  })

  it('a run with checks.baseline compares itself at its end, from memory, exactly as its written run directory compares', async () => {
    const project = join(dir, 'project-end-of-run')
    updateBaseline(fastRun, join(project, 'baselines', 'svc.json'))
    const scenario = parseScenario(`${scenarioText(await freePort(), 40)}checks:\n  baseline: { file: baselines/svc.json, p50: +10% }\n`, join(project, 'svc.yaml'))
    const outcome = await runScenario(scenario, { out: join(dir, 'slow-against-baseline'), seed: 3, progress: silentProgress, signal: new AbortController().signal, env: {} })
    expect(outcome.result.baseline?.file).toBe('baselines/svc.json')
    expect(outcome.result.checks.find((check) => check.id === 'baseline.p50')?.status).toBe('fail')
    expect(outcome.result.verdict).toBe('fail')
    const written = JSON.parse(readFileSync(join(outcome.runDir, 'result.json'), 'utf8')) as RunResult
    expect(written.baseline).toEqual(JSON.parse(JSON.stringify(outcome.result.baseline)))
    const fromDisk = applyBaselineCheck(outcome.runDir, written, { file: 'baselines/svc.json', p50: { kind: 'relative', fraction: 0.1 } }, project)
    expect(fromDisk.checks.map((check) => [check.id, check.status])).toEqual(outcome.result.checks.filter((check) => check.id.startsWith('baseline.')).map((check) => [check.id, check.status]))
  })

  it('a damaged baseline file is one failed check, so the run still writes its result', () => {
    const scenarioDir = join(dir, 'project3')
    cpSync(fileURLToPath(new URL('./fixtures/baseline/future-schema.json', import.meta.url)), join(scenarioDir, 'b.json'))
    const outcome = applyBaselineCheck(fastRun, fastResult, { file: 'b.json' }, scenarioDir)
    expect(outcome.checks).toEqual([{ id: 'baseline.file', status: 'fail', observed: 0, limit: 1, unit: 'files', message: `${join(scenarioDir, 'b.json')}: baseline was written by a newer cutover (schema 2); this cutover reads schema 1: upgrade cutover or save the baseline again` }])
  })
})

describe('cutover baseline on the command line', () => {
  it('save, show (list and one), compare: exit 0 against itself, 1 against the slower build', async () => {
    const saved = await cli(['baseline', 'save', fastRun])
    expect(saved.code, saved.stderr).toBe(0)
    expect(saved.stdout).toMatch(/^saved baseline baselines\/svc\.json \(\d+\.\d KB\) from run fast of scenario svc: svc \d+ latency windows\n$/)
    expect(existsSync(join(dir, 'baselines', 'svc.json'))).toBe(true)

    const list = await cli(['baseline', 'show'])
    expect(list.code, list.stderr).toBe(0)
    expect(list.stdout).toMatch(/^file\s+scenario\s+saved \(UTC\)\s+source run started \(UTC\)\s+targets\s+size\nbaselines\/svc\.json\s+svc\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+\d{4}-.*\s+svc\s+\d+\.\d KB\n$/)

    const one = await cli(['baseline', 'show', 'svc'])
    expect(one.code, one.stderr).toBe(0)
    expect(one.stdout).toContain('baseline baselines/svc.json\n  scenario    svc\n')
    expect(one.stdout).toContain('  plan        warmup 0.5s 100/s · steady 3.5s 1000/s · flood 5s 4 connections (sampled every 250 ms)')
    expect(one.stdout).toMatch(/\nsvc +\d+ +0\.00%/)

    const same = await cli(['baseline', 'compare', fastRun])
    expect(same.stdout).not.toMatch(/^FAIL/m)
    expect(same.stdout).toContain('verdict against the baseline: ')
    expect(same.code, same.stdout + same.stderr).toBe(0)

    const strict = await cli(['baseline', 'compare', fastRun, '--strict'])
    expect(strict.code).toBe(/verdict against the baseline: INCONCLUSIVE/.test(strict.stdout) ? 1 : 0)

    const slower = await cli(['baseline', 'compare', slowRun])
    expect(slower.code, slower.stdout + slower.stderr).toBe(1)
    expect(slower.stdout).toMatch(/^FAIL {2}svc baseline\.p50: p50: current/m)
    expect(slower.stdout).toMatch(/^svc +p50 +\d.* fail$/m)
    expect(slower.stdout).toContain('verdict against the baseline: FAIL')
  })

  it('takes tolerances and the baseline file from --scenario', async () => {
    const project = join(dir, 'cli-project')
    const saved = await cli(['baseline', 'save', fastRun, '--dir', join(project, 'stored'), '--name', 'accepted'])
    expect(saved.code, saved.stderr).toBe(0)
    const scenarioFile = join(project, 'svc.yaml')
    writeFileSync(scenarioFile, `${scenarioText(1, 2)}checks:\n  baseline: { file: stored/accepted.json, p50: +10000%, p95: +10000%, p99: +10000%, throughput: -99.9%, cpuPerRequest: +10000% }\n`)
    const compared = await cli(['baseline', 'compare', slowRun, '--scenario', scenarioFile])
    expect(compared.stdout).toContain(`baseline ${join('cli-project', 'stored', 'accepted.json')}: run fast of`)
    expect(compared.stdout).toContain(`tolerances of checks.baseline in ${join('cli-project', 'svc.yaml')}`)
    expect(compared.stdout).not.toMatch(/^FAIL {2}svc baseline\.p50/m)
  })

  it('user errors exit 2 with what to do', async () => {
    const missing = await cli(['baseline', 'compare', fastRun, '--baseline', 'nowhere.json'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toBe('error: no baseline at nowhere.json: save one with `cutover baseline save <run-dir>`\n')
    const wrong = await cli(['baseline', 'show', fileURLToPath(new URL('./fixtures/baseline/wrong-kind.json', import.meta.url))])
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toMatch(/is not a cutover baseline \(its kind is "cutover-result", expected "cutover-baseline"\)/)
    const notRun = await cli(['baseline', 'save', join(dir, 'no-such-run')])
    expect(notRun.code).toBe(2)
    expect(notRun.stderr).toBe(`error: not a run directory: ${join(dir, 'no-such-run')}: pass a folder written by \`cutover run\` (under reports/)\n`)
  })

  it('show in an empty folder says how to save one', async () => {
    const empty = await cli(['baseline', 'show', '--dir', 'nothing-here'])
    expect(empty.code).toBe(0)
    expect(empty.stdout).toBe('no baselines in nothing-here/: save one with `cutover baseline save <run-dir>`\n')
  })
})
