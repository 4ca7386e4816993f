import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createHistogram, encodeHistogram, recordUs } from '../src/metrics/histogram.js'
import { LiveMetrics } from '../src/report/live/live-metrics.js'
import { parsePrometheusText } from '../src/sampling/prometheus-text.js'
import { dashboardQueries, metricNamesIn, readDashboard, readmePath, readmeQueries, readmeSectionHeading } from './support/grafana-dashboard.js'

/** Every series name the exporter renders, from a run that filled every family (histogram suffixes included). */
function renderedNames (): Set<string> {
  const live = new LiveMetrics()
  const histogram = createHistogram()
  recordUs(histogram, 1500)
  live.addLine({
    t: 1, ts: '2026-01-01T00:00:01.000Z', target: 'new', phase: 'steady', intervalMs: 1000, requests: 2, ok: 1, failed: 1, throughput: 2,
    latencyMs: { p50: 1.5, p90: 1.5, p95: 1.5, p99: 1.5, p999: 1.5, max: 1.5, mean: 1.5 },
    byStatus: { 200: 1 }, byError: { timeout: 1 }, generator: { sent: 2, dropped: 0, late: 0, sendLagMsP99: 0 }, inFlight: 1, hist: encodeHistogram(histogram),
    resources: { rssBytes: 1e8, cpuPercent: 50, heapBytes: 2e7, memoryLimitBytes: 1e9 }
  })
  live.judged([{ id: 'slo.p99', target: 'new', status: 'pass', observed: 1.5, limit: 100, unit: 'ms', message: '' }], 'pass')
  const parsed = parsePrometheusText(live.render())
  expect(parsed.problems).toEqual([])
  return new Set(parsed.series.map((series) => series.name))
}

describe('examples/grafana/cutover-dashboard.json', () => {
  const dashboard = readDashboard()
  const queries = dashboardQueries(dashboard.panels ?? [])

  it('is a Grafana dashboard with a Prometheus data source variable that every panel uses', () => {
    expect(dashboard.schemaVersion).toBe(39)
    const variable = dashboard.templating?.list?.find((entry) => entry.type === 'datasource')
    expect(variable).toMatchObject({ name: 'datasource', query: 'prometheus' })
    const text = JSON.stringify(dashboard.panels)
    expect(text).not.toMatch(/"uid":"(?!\$\{datasource\})/)
    expect(queries.length).toBeGreaterThanOrEqual(10)
  })

  it('queries only series the exporter renders', () => {
    const rendered = renderedNames()
    for (const { panel, expr } of queries) {
      const names = metricNamesIn(expr)
      expect(names.length, `${panel}: ${expr}`).toBeGreaterThan(0)
      for (const name of names) expect(rendered.has(name), `${panel} uses ${name}, which the exporter does not render`).toBe(true)
    }
  })

  it('has the panels the issue asks for: rate by status, p50/p99 from the histogram, errors by kind, in-flight, dropped and late, CPU, RSS, checks', () => {
    const used = (name: string): string[] => queries.filter((query) => metricNamesIn(query.expr).includes(name)).map((query) => query.expr)
    expect(used('cutover_requests_total').some((expr) => /by \(target, status\)/.test(expr))).toBe(true)
    const quantiles = used('cutover_request_duration_seconds_bucket')
    expect(quantiles.some((expr) => expr.startsWith('histogram_quantile(0.5,'))).toBe(true)
    expect(quantiles.some((expr) => expr.startsWith('histogram_quantile(0.99,'))).toBe(true)
    expect(used('cutover_request_errors_total').some((expr) => /by \(target, kind\)/.test(expr))).toBe(true)
    for (const name of ['cutover_requests_in_flight', 'cutover_arrivals_dropped_total', 'cutover_arrivals_late_total', 'cutover_target_cpu_ratio', 'cutover_target_rss_bytes', 'cutover_check_passed']) {
      expect(used(name), name).not.toEqual([])
    }
  })

  it('no query holds a | (it would break the README table)', () => {
    for (const { expr } of queries) expect(expr).not.toContain('|')
  })

  it(`README.md lists every panel's queries, in order, in the table of its "${readmeSectionHeading}" section`, () => {
    const listed = readmeQueries(readFileSync(readmePath, 'utf8'))
    expect(listed, `README.md has no section starting with "${readmeSectionHeading}"`).toBeDefined()
    expect(listed).toEqual(queries)
  })
})
