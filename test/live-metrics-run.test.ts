import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CheckResult, Verdict } from '../src/core/result-types.js'
import { LiveMetrics } from '../src/report/live/live-metrics.js'
import { silentProgress } from '../src/run/progress.js'
import { runScenario } from '../src/run/run-scenario.js'
import { parseScenario } from '../src/scenario/load.js'
import { parsePrometheusText } from '../src/sampling/prometheus-text.js'
import { startServer, type TestServer } from './support/servers.js'

let dir: string
let oldService: TestServer
let newService: TestServer

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cutover-live-run-'))
  oldService = await startServer((_req, res) => res.end('ok'), { keepBodies: false })
  newService = await startServer((_req, res) => { res.statusCode = 503; res.end('no') }, { keepBodies: false })
})
afterAll(async () => {
  await oldService.close()
  await newService.close()
  rmSync(dir, { recursive: true, force: true })
})

/** Live metrics that remember what was judged while the run went. */
class WatchedMetrics extends LiveMetrics {
  readonly judgements: Array<{ checks: readonly CheckResult[], verdict: Verdict, finished: boolean }> = []
  override judged (checks: readonly CheckResult[], verdict: Verdict): void {
    this.judgements.push({ checks, verdict, finished: this.finished })
    super.judged(checks, verdict)
  }
}

describe('a run feeds its live metrics', () => {
  it('every interval into the counters, the checks judged on a worker thread as it goes, result.json\'s checks at the end', async () => {
    const scenario = parseScenario(`
name: live-run
targets: { old: { url: "${oldService.url}" }, new: { url: "${newService.url}" } }
requests: [{ name: home, path: / }]
phases: [{ name: steady, duration: 5s, rate: 40 }]
sampling: { interval: 100ms }
checks: { slo: { errorRate: 1% } }
`, join(dir, 'live-run.yaml'))
    const live = new WatchedMetrics()
    const outcome = await runScenario(scenario, { out: join(dir, 'run'), progress: silentProgress, signal: new AbortController().signal, env: {}, schedule: 'concurrent', liveMetrics: live })
    const { result } = outcome
    // judged while the run went: new's errors failed its error rate before the end
    expect(live.judgements.length).toBeGreaterThan(0)
    expect(live.judgements.some((judgement) => judgement.checks.some((check) => check.id === 'slo.errorRate' && check.target === 'new' && check.status === 'fail'))).toBe(true)
    expect(live.finished).toBe(true)
    const parsed = parsePrometheusText(live.render())
    expect(parsed.problems).toEqual([])
    const sum = (name: string, target: string, labels: Record<string, string> = {}): number => parsed.series
      .filter((series) => series.name === name && series.labels.target === target && Object.entries(labels).every(([key, value]) => series.labels[key] === value))
      .reduce((total, series) => total + series.value, 0)
    for (const target of ['old', 'new']) {
      const summary = result.targets[target]
      expect(sum('cutover_requests_total', target)).toBe(summary?.requests.total)
      expect(sum('cutover_arrivals_sent_total', target)).toBe(summary?.generator.sent)
      expect(sum('cutover_request_duration_seconds_count', target)).toBe(summary?.requests.total)
    }
    expect(sum('cutover_requests_total', 'new', { status: '503' })).toBe(result.targets.new?.requests.total)
    expect(sum('cutover_request_errors_total', 'new', { kind: 'http 503' })).toBe(result.targets.new?.requests.byError['http 503'])
    // the final checks are result.json's
    const checks = parsed.series.filter((series) => series.name === 'cutover_check_passed')
    expect(checks.map((series) => `${series.labels.check} ${series.labels.target ?? ''}`)).toEqual(result.checks.map((check) => `${check.id} ${check.target ?? ''}`))
    expect(parsed.series.find((series) => series.name === 'cutover_verdict_passed')?.value).toBe(0)
    expect(parsed.series.find((series) => series.name === 'cutover_run_finished')?.value).toBe(1)
  })
})
