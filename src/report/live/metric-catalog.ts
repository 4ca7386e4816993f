/**
 * The series `cutover run --metrics` serves, named once: Prometheus conventions (a `cutover_` prefix, base units in
 * the name, counters ending in `_total`), in the order they are rendered.
 */

/** The Prometheus types the exporter uses. */
export type LiveMetricType = 'counter' | 'gauge' | 'histogram'

/** One metric family: its name, type, help text and the labels its series carry. */
export interface LiveMetricDefinition {
  name: string
  type: LiveMetricType
  help: string
  labels: readonly string[]
}

/** Every metric family of the live endpoint, by a short key. */
export const liveMetrics = {
  requests: {
    name: 'cutover_requests_total',
    type: 'counter',
    labels: ['target', 'phase', 'status'],
    help: 'Requests that ended, by HTTP status; status "none" for requests without an HTTP answer (refused, reset, timeout, dropped arrivals).'
  },
  errors: {
    name: 'cutover_request_errors_total',
    type: 'counter',
    labels: ['target', 'phase', 'kind'],
    help: 'Failed requests by kind (refused, reset, timeout, http 503, expectation, dropped, cut off...), as result.json requests.byError.'
  },
  duration: {
    name: 'cutover_request_duration_seconds',
    type: 'histogram',
    labels: ['target', 'phase'],
    help: 'Latency from each request\'s intended send time, in seconds; bucket counts taken from the run\'s HDR histograms.'
  },
  inFlight: {
    name: 'cutover_requests_in_flight',
    type: 'gauge',
    labels: ['target'],
    help: 'Requests outstanding at the end of the last sampling interval.'
  },
  sent: {
    name: 'cutover_arrivals_sent_total',
    type: 'counter',
    labels: ['target', 'phase'],
    help: 'Planned arrivals the load generator sent.'
  },
  dropped: {
    name: 'cutover_arrivals_dropped_total',
    type: 'counter',
    labels: ['target', 'phase'],
    help: 'Planned arrivals not sent because maxInFlight requests were outstanding.'
  },
  late: {
    name: 'cutover_arrivals_late_total',
    type: 'counter',
    labels: ['target', 'phase'],
    help: 'Arrivals sent more than 10 ms after their intended time.'
  },
  cpu: {
    name: 'cutover_target_cpu_ratio',
    type: 'gauge',
    labels: ['target'],
    help: 'CPU the target\'s processes used over the last sampling interval, in cores (1 = one core busy).'
  },
  rss: {
    name: 'cutover_target_rss_bytes',
    type: 'gauge',
    labels: ['target'],
    help: 'Resident memory of the target (process tree, cgroup or its own exporter), in bytes.'
  },
  heap: {
    name: 'cutover_target_heap_used_bytes',
    type: 'gauge',
    labels: ['target'],
    help: 'Used JavaScript heap of the target, when sampled (start.heap, or a Prometheus monitor).'
  },
  memoryLimit: {
    name: 'cutover_target_memory_limit_bytes',
    type: 'gauge',
    labels: ['target'],
    help: 'The memory the target may use (monitor.memoryLimit or cgroup memory.max), when known.'
  },
  check: {
    name: 'cutover_check_passed',
    type: 'gauge',
    labels: ['check', 'target'],
    help: 'Each check on what was measured so far: 1 pass (or warn), 0 fail, NaN inconclusive.'
  },
  verdict: {
    name: 'cutover_verdict_passed',
    type: 'gauge',
    labels: [],
    help: 'The run\'s verdict so far: 1 pass, 0 fail, NaN inconclusive.'
  },
  finished: {
    name: 'cutover_run_finished',
    type: 'gauge',
    labels: [],
    help: '1 once the run ended and the checks are result.json\'s final ones, else 0.'
  }
} as const satisfies Record<string, LiveMetricDefinition>

/** A key of {@link liveMetrics}. */
export type LiveMetricKey = keyof typeof liveMetrics
