/**
 * `--metrics <host:port>` and `--metrics-linger <duration>`: the live Prometheus endpoint of a run, opened before the
 * load (a bad address is a usage error, exit 2, before anything starts) and closed once the run's output is written,
 * or, with a linger, once a scrape has read the final values (at most that long).
 */
import { CutoverError } from '../core/errors.js'
import { formatMs, parseDurationMs } from '../core/units.js'
import { waitFor } from '../core/wait.js'
import { LiveMetrics } from '../report/live/live-metrics.js'
import { parseMetricsAddress, type MetricsAddress } from '../report/live/metrics-address.js'
import { MetricsServer } from '../report/live/metrics-server.js'
import type { ProgressSink } from '../run/progress.js'

/** The flags as commander gives them. */
export interface MetricsFlags {
  metrics?: string
  metricsLinger?: string
}

/** The flags read: where to listen and how long to wait for a last scrape; undefined without `--metrics`. */
export interface MetricsSettings {
  address: MetricsAddress
  lingerMs: number
}

/** Longest `--metrics-linger`: it waits for one scrape, and a scrape interval longer than this is unusual. */
const maxLingerMs = 10 * 60_000

/** Reads `--metrics` and `--metrics-linger`; a bad value is a usage error. */
export function metricsSettings (flags: MetricsFlags): MetricsSettings | undefined {
  if (flags.metrics === undefined) {
    if (flags.metricsLinger !== undefined) throw new CutoverError('USAGE', '--metrics-linger goes with --metrics')
    return undefined
  }
  const address = parseMetricsAddress(flags.metrics)
  if (flags.metricsLinger === undefined) return { address, lingerMs: 0 }
  const lingerMs = parseDurationMs(flags.metricsLinger)
  if (lingerMs === undefined || lingerMs < 0 || lingerMs > maxLingerMs) {
    throw new CutoverError('USAGE', `--metrics-linger expects a duration up to 10m such as 30s, got "${flags.metricsLinger}"`)
  }
  return { address, lingerMs }
}

/** A run's live metrics and the endpoint that serves them. */
export interface MetricsEndpoint {
  live: LiveMetrics
  server: MetricsServer
  lingerMs: number
}

/** Opens the endpoint (a usage error when it cannot listen) and says where it is. */
export async function openMetricsEndpoint (settings: MetricsSettings, progress: ProgressSink): Promise<MetricsEndpoint> {
  const live = new LiveMetrics()
  const server = await MetricsServer.start(settings.address, () => live.render())
  progress.message(`metrics: Prometheus text at ${server.url}${server.exposed ? ' — reachable from other machines, without authentication' : ''}`)
  return { live, server, lingerMs: settings.lingerMs }
}

/** After the run: with a linger, serves until a scrape has read the final values, at most the linger or until Ctrl-C. */
export async function lingerForLastScrape (endpoint: MetricsEndpoint, signal: AbortSignal, progress: ProgressSink): Promise<void> {
  if (endpoint.lingerMs <= 0 || signal.aborted || !endpoint.live.finished) return
  progress.message(`metrics: serving the final values at ${endpoint.server.url} until they are scraped, at most ${formatMs(endpoint.lingerMs)} (Ctrl-C stops)`)
  const stop = new AbortController()
  const stopWaiting = (): void => { stop.abort() }
  signal.addEventListener('abort', stopWaiting, { once: true })
  try {
    await Promise.race([endpoint.server.nextScrape(), waitFor(endpoint.lingerMs, stop.signal)])
  } finally {
    stop.abort()
    signal.removeEventListener('abort', stopWaiting)
  }
}
