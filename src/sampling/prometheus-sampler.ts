import { performance } from 'node:perf_hooks'
import { Agent, request } from 'undici'
import { CutoverError } from '../core/errors.js'
import { CpuCounter } from './cpu-percent.js'
import { parseMetricSelector, selectValue, type MetricSelector } from './prometheus-select.js'
import { parsePrometheusText, type PrometheusSeries } from './prometheus-text.js'
import { oneAtATime, type ResourceSample, type Sampler } from './sampler.js'

/** Options of a Prometheus sampler. */
export interface PrometheusSamplerOptions {
  /** Longest a scrape may take before the sample counts as missing. */
  timeoutMs: number
  /** Extra selectors (`name` or `name{label="value"}`) recorded in `extra`, keyed as written. Counters are recorded as they are, cumulative. */
  metrics?: string[]
  /** Monotonic milliseconds; `performance.now` unless a test fixes time. */
  clock?: () => number
}

const rssMetric = 'process_resident_memory_bytes'
const cpuMetric = 'process_cpu_seconds_total'
const heapMetric = 'nodejs_heap_size_used_bytes'
const heapCommittedMetric = 'nodejs_heap_size_total_bytes'

/**
 * Reads a service's own `/metrics` (for services on other hosts): RSS from `process_resident_memory_bytes`, CPU percent
 * from the growth of `process_cpu_seconds_total` over the local wall time between scrapes (exposition timestamps are
 * ignored), heap from `nodejs_heap_size_used_bytes` when present. A labelled metric is summed over its series unless
 * an unlabelled series exists (see `selectValue`). It scrapes through its own connection, never the load generator's pool.
 */
export class PrometheusSampler implements Sampler {
  readonly kind = 'prometheus'
  readonly source: string
  readonly sample: () => Promise<ResourceSample | undefined>
  private readonly cpu: CpuCounter

  private constructor (private readonly url: URL, private readonly agent: Agent, private readonly extra: Array<[string, MetricSelector]>,
    private readonly timeoutMs: number, private readonly clock: () => number, baseline: { cpuSeconds: number, atMs: number }) {
    this.source = url.href
    this.cpu = new CpuCounter(baseline.cpuSeconds, baseline.atMs)
    this.sample = oneAtATime(() => this.read())
  }

  /** Scrapes once for the CPU baseline; `TARGET_UNREACHABLE` when the endpoint does not answer or lacks the process metrics. */
  static async create (url: string, options: PrometheusSamplerOptions): Promise<PrometheusSampler> {
    const parsed = URL.canParse(url) ? new URL(url) : undefined
    if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
      throw new CutoverError('TARGET_UNREACHABLE', `monitor.prometheus ${JSON.stringify(url)} is not an http(s) URL`, { hint: 'e.g. http://127.0.0.1:9464/metrics' })
    }
    const extra: Array<[string, MetricSelector]> = []
    for (const text of options.metrics ?? []) {
      const selector = parseMetricSelector(text)
      if (selector === undefined) {
        throw new CutoverError('TARGET_UNREACHABLE', `monitor.metrics entry ${JSON.stringify(text)} is not a metric name`, { hint: 'Write a name such as http_requests_total, optionally with labels: http_requests_total{code="500"}' })
      }
      extra.push([text, selector])
    }
    const agent = new Agent({ connections: 1, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs })
    const clock = options.clock ?? (() => performance.now())
    const first = await scrape(parsed, agent, options.timeoutMs)
    if (typeof first === 'string') {
      await agent.close()
      throw new CutoverError('TARGET_UNREACHABLE', `Cannot read metrics from ${parsed.href}: ${first}`, { hint: 'Check monitor.prometheus and that the service is running' })
    }
    const missing = [rssMetric, cpuMetric].filter((name) => selectValue(first, { name, labels: {} }) === undefined)
    if (missing.length > 0) {
      await agent.close()
      throw new CutoverError('TARGET_UNREACHABLE', `${parsed.href} does not expose ${missing.join(' and ')}, so CPU and memory cannot be read from it`, {
        hint: 'Enable the client library\'s process metrics (prom-client: collectDefaultMetrics(); Go and Python clients export them by default)'
      })
    }
    const firstCpuSeconds = selectValue(first, { name: cpuMetric, labels: {} }) ?? 0
    const cpuSeconds = Number.isFinite(firstCpuSeconds) ? firstCpuSeconds : 0
    return new PrometheusSampler(parsed, agent, extra, options.timeoutMs, clock, { cpuSeconds, atMs: clock() })
  }

  /** Closes the sampler's connection. */
  async close (): Promise<void> {
    if (!this.agent.closed) await this.agent.close()
  }

  private async read (): Promise<ResourceSample | undefined> {
    const series = await scrape(this.url, this.agent, this.timeoutMs)
    const atMs = this.clock()
    if (typeof series === 'string') return undefined
    const rssBytes = selectValue(series, { name: rssMetric, labels: {} })
    const cpuSeconds = selectValue(series, { name: cpuMetric, labels: {} })
    // a NaN counter would poison the next delta: count the scrape as missing instead
    if (rssBytes === undefined || cpuSeconds === undefined || !Number.isFinite(rssBytes) || !Number.isFinite(cpuSeconds)) return undefined
    const sample: ResourceSample = { rssBytes, cpuPercent: this.cpu.next(cpuSeconds, atMs) }
    const heapBytes = selectValue(series, { name: heapMetric, labels: {} })
    if (heapBytes !== undefined) sample.heapBytes = heapBytes
    const heapCommittedBytes = selectValue(series, { name: heapCommittedMetric, labels: {} })
    if (heapBytes !== undefined && heapCommittedBytes !== undefined && heapCommittedBytes >= heapBytes) sample.heapCommittedBytes = heapCommittedBytes
    if (this.extra.length > 0) {
      sample.extra = {}
      for (const [key, selector] of this.extra) {
        const value = selectValue(series, selector)
        if (value !== undefined) sample.extra[key] = value
      }
    }
    return sample
  }
}

/** The series of one scrape, or why it failed. */
async function scrape (url: URL, agent: Agent, timeoutMs: number): Promise<PrometheusSeries[] | string> {
  try {
    const response = await request(url, {
      dispatcher: agent,
      headers: { accept: 'text/plain;version=0.0.4;q=1,*/*;q=0.1' },
      signal: AbortSignal.timeout(timeoutMs)
    })
    if (response.statusCode !== 200) {
      await response.body.dump()
      return `HTTP ${response.statusCode}`
    }
    return parsePrometheusText(await response.body.text()).series
  } catch (error) {
    const code = (error as { code?: unknown }).code
    return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error)
  }
}
