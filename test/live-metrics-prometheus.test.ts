/**
 * `cutover run --metrics` scraped by a real Prometheus (Debian's package, /usr/bin/prometheus; `.ci/run` installs it):
 * a short old-vs-new run against two fixture services cutover starts, then the series read back through
 * Prometheus's HTTP query API and held against result.json.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunResult } from '../src/core/result-types.js'
import { latencyBucketBoundsSeconds } from '../src/report/live/latency-buckets.js'
import { checkValue } from '../src/report/live/live-metrics.js'
import { runCli } from './support/cli.js'
import { dashboardQueries, readDashboard } from './support/grafana-dashboard.js'
import { freePort } from './support/servers.js'

const prometheusBinary = '/usr/bin/prometheus'
const fixture = fileURLToPath(new URL('./fixtures/fixed-time-server.mjs', import.meta.url))

let dir: string
let prometheus: ChildProcess | undefined
let prometheusUrl: string
let metricsPort: number

/** Polls `check` every 200 ms until it returns a value, failing after `timeoutMs` with `what`. */
async function waitUntil<T> (what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check().catch(() => undefined)
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

/** One series of an instant query's answer: its labels and its value (NaN as Prometheus writes it). */
interface QueriedSeries {
  labels: Record<string, string>
  value: number
}

/** An instant query through Prometheus's HTTP API (at `timeSec`, else now). */
async function query (promql: string, timeSec?: number): Promise<QueriedSeries[]> {
  const url = new URL('/api/v1/query', prometheusUrl)
  url.searchParams.set('query', promql)
  if (timeSec !== undefined) url.searchParams.set('time', String(timeSec))
  const answer = await (await fetch(url)).json() as { status: string, error?: string, data: { resultType: string, result: Array<{ metric: Record<string, string>, value: [number, string] }> } }
  if (answer.status !== 'success') throw new Error(`${promql}: ${answer.error ?? answer.status}`)
  return answer.data.result.map((series) => ({ labels: series.metric, value: Number(series.value[1]) }))
}

/** The samples of a range selector at the moment of the query: their timestamps (seconds) and values. */
async function samples (selector: string): Promise<Array<[number, number]>> {
  const url = new URL('/api/v1/query', prometheusUrl)
  url.searchParams.set('query', selector)
  const answer = await (await fetch(url)).json() as { data: { result: Array<{ values: Array<[number, string]> }> } }
  return (answer.data.result[0]?.values ?? []).map(([at, value]) => [at, Number(value)])
}

/** `target` → value of a query whose series carry a target label. */
async function byTarget (promql: string): Promise<Map<string, number>> {
  return new Map((await query(promql)).map((series) => [series.labels.target ?? '', series.value]))
}

beforeAll(async () => {
  // never skipped: the live endpoint is only known to work when a real Prometheus reads it
  expect(existsSync(prometheusBinary), `${prometheusBinary} is missing: apt-get install prometheus (.ci/run installs it)`).toBe(true)
  dir = mkdtempSync(join(tmpdir(), 'cutover-prometheus-'))
  metricsPort = await freePort()
  const prometheusPort = await freePort()
  prometheusUrl = `http://127.0.0.1:${prometheusPort}`
  const config = join(dir, 'prometheus.yml')
  writeFileSync(config, [
    // a scrape Prometheus gives up on is not stored, while cutover counts it as read once it has answered: on a busy
    // runner 400 ms was too short for the final one (the test then waited for a value Prometheus never stored)
    'global: { scrape_interval: 2s, scrape_timeout: 2s, evaluation_interval: 10s }',
    'scrape_configs:',
    `  - { job_name: cutover, static_configs: [{ targets: ["127.0.0.1:${metricsPort}"] }] }`,
    ''
  ].join('\n'))
  const log = openSync(join(dir, 'prometheus.log'), 'w')
  const child = spawn(prometheusBinary, [
    `--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${prometheusPort}`
  ], { stdio: ['ignore', log, log] })
  prometheus = child
  const exited = new Promise<never>((_resolve, reject) => {
    child.once('exit', (code, signal) => { reject(new Error(`prometheus exited (${String(code ?? signal)}) before it was ready: ${readFileSync(join(dir, 'prometheus.log'), 'utf8').slice(-2000)}`)) })
  })
  exited.catch(() => {})
  await Promise.race([exited, waitUntil('prometheus /-/ready', 25_000, async () => (await fetch(`${prometheusUrl}/-/ready`)).ok ? true : undefined)])
})

afterAll(async () => {
  const child = prometheus
  if (child !== undefined && child.exitCode === null && child.signalCode === null) {
    const gone = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    await gone
    clearTimeout(timer)
  }
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
})

describe('cutover run --metrics, scraped by Prometheus', () => {
  it('serves requests, latency buckets, resources and checks that Prometheus stores and result.json confirms', async () => {
    const [oldPort, newPort] = [await freePort(), await freePort()]
    const scenario = join(dir, 'live.yaml')
    writeFileSync(scenario, `
name: live
targets:
  old: { url: "http://127.0.0.1:${oldPort}", start: { command: "node ${fixture}", env: { PORT: "${oldPort}", WORK_MS: "1" } } }
  new: { url: "http://127.0.0.1:${newPort}", start: { command: "node ${fixture}", env: { PORT: "${newPort}", WORK_MS: "2" } } }
requests: [{ name: work, path: / }]
phases: [{ name: warm, duration: 2s, rate: 20 }, { name: steady, duration: 5s, rate: 40 }]
sampling: { interval: 250ms }
checks: { slo: { p99: 2s, errorRate: 5% } }
`)
    const out = join(dir, 'run')
    let live: number | undefined
    const run = runCli(['run', scenario, '--out', out, '--metrics', `127.0.0.1:${metricsPort}`, '--metrics-linger', '30s'], { timeoutMs: 90_000 })

    // while the run goes: Prometheus holds requests counted so far and checks judged so far, and the run is not finished
    live = await waitUntil('a scrape during the run', 60_000, async () => {
      const at = Date.now() / 1000
      const [total, finished, judged] = await Promise.all([query('sum(cutover_requests_total)', at), query('cutover_run_finished', at), query('count(cutover_check_passed)', at)])
      const value = total[0]?.value ?? 0
      return finished[0]?.value === 0 && value > 0 && (judged[0]?.value ?? 0) > 0 ? value : undefined
    })
    const ended = await run
    expect(ended.stderr).toContain(`metrics: Prometheus text at http://127.0.0.1:${metricsPort}/metrics`)
    expect(ended.code, ended.stderr).toBe(0)
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult

    // --metrics-linger kept the endpoint up until a scrape read the final values; wait until Prometheus stored it
    await waitUntil('the final scrape in Prometheus', 30_000, async () => (await query('last_over_time(cutover_run_finished[5m])'))[0]?.value === 1 ? true : undefined)

    const totals = await byTarget('sum by (target) (last_over_time(cutover_requests_total[5m]))')
    const sent = await byTarget('sum by (target) (last_over_time(cutover_arrivals_sent_total[5m]))')
    const counted = await byTarget('sum by (target) (last_over_time(cutover_request_duration_seconds_count[5m]))')
    const p99 = await byTarget('histogram_quantile(0.99, sum by (le, target) (last_over_time(cutover_request_duration_seconds_bucket[5m])))')
    const rss = await byTarget('last_over_time(cutover_target_rss_bytes[5m])')
    const cpu = await byTarget('last_over_time(cutover_target_cpu_ratio[5m])')
    const inFlight = await byTarget('last_over_time(cutover_requests_in_flight[5m])')
    let liveSum = 0
    for (const name of ['old', 'new']) {
      const summary = result.targets[name]
      expect(summary, name).toBeDefined()
      if (summary === undefined) continue
      liveSum += summary.requests.total
      // the counters of the final scrape are result.json's totals exactly
      expect(totals.get(name), name).toBe(summary.requests.total)
      expect(sent.get(name), name).toBe(summary.generator.sent)
      expect(counted.get(name), name).toBe(summary.requests.total - (summary.requests.byError.dropped ?? 0))
      // the classic quantile falls in the bucket that holds result.json's p99 (the buckets count HDR values as its percentiles do)
      const p99Seconds = summary.latencyMs.p99 / 1000
      const upper = latencyBucketBoundsSeconds.find((bound) => bound >= p99Seconds - 1e-9) ?? Infinity
      const lower = [0, ...latencyBucketBoundsSeconds].filter((bound) => bound < upper).at(-1) ?? 0
      expect(p99.get(name), name).toBeGreaterThanOrEqual(lower)
      expect(p99.get(name), name).toBeLessThanOrEqual(upper)
      expect(rss.get(name), name).toBeGreaterThan(5_000_000)
      expect(rss.get(name), name).toBeLessThan(2_000_000_000)
      expect(cpu.get(name), name).toBeGreaterThanOrEqual(0)
      // after the drain nothing is outstanding
      expect(inFlight.get(name), name).toBe(0)
    }
    expect(live).toBeGreaterThan(0)
    expect(live).toBeLessThanOrEqual(liveSum)

    // every check of result.json, with its final value
    const checks = await query('last_over_time(cutover_check_passed[5m])')
    const withTarget = result.checks.filter((check) => check.target !== undefined)
    expect(withTarget.length).toBeGreaterThan(0)
    for (const check of result.checks) {
      const series = checks.find((found) => found.labels.check === check.id && found.labels.target === check.target)
      expect(series, `${check.id} ${check.target ?? ''}`).toBeDefined()
      expect(Object.is(series?.value, checkValue(check.status)), `${check.id} ${check.target ?? ''}: ${series?.value} for ${check.status}`).toBe(true)
    }
    expect(result.checks.find((check) => check.id === 'slo.p99' && check.target === 'new')?.status).toBe('pass')
    const verdict = await query('last_over_time(cutover_verdict_passed[5m])')
    expect(Object.is(verdict[0]?.value, checkValue(result.verdict))).toBe(true)

    // every query of the Grafana dashboard runs and finds series at the final scrape (errors only when a request failed;
    // the heap when the sampler reads it)
    const failed = Object.values(result.targets).reduce((sum, summary) => sum + summary.requests.failed, 0)
    const finalAt = (await samples('cutover_run_finished[5m]')).find(([, value]) => value === 1)?.[0]
    expect(finalAt).toBeDefined()
    for (const { panel, expr } of dashboardQueries(readDashboard().panels ?? [])) {
      const found = await query(expr.replaceAll('$__rate_interval', '1m').replaceAll('$target', '.*'), finalAt)
      if (expr.includes('cutover_target_heap_used_bytes')) continue
      if (failed === 0 && expr.includes('cutover_request_errors_total')) expect(found, `${panel}: ${expr}`).toEqual([])
      else expect(found.length, `${panel}: ${expr}`).toBeGreaterThan(0)
    }
  }, 120_000)
})
