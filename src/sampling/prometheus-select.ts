import { parseSeriesLine, type PrometheusSeries } from './prometheus-text.js'

/** A metric name with optional label matchers: `http_requests_total` or `http_requests_total{code="500"}`. */
export interface MetricSelector {
  name: string
  labels: Record<string, string>
}

/** Parses a selector as written in `monitor.metrics`; undefined when it is not one. */
export function parseMetricSelector (text: string): MetricSelector | undefined {
  try {
    // a selector is a sample line without its value
    const { name, labels } = parseSeriesLine(`${text.trim()} 0`)
    return { name, labels }
  } catch {
    return undefined
  }
}

/**
 * One number for a selector. The series whose labels are exactly the selector's (for a bare name: the unlabelled
 * series) wins; otherwise the values of all series carrying the selector's labels are summed (a counter split by
 * status code, a gauge per heap space). Undefined when no series matches.
 */
export function selectValue (series: readonly PrometheusSeries[], selector: MetricSelector): number | undefined {
  const wanted = Object.entries(selector.labels)
  let sum: number | undefined
  for (const candidate of series) {
    if (candidate.name !== selector.name) continue
    if (!wanted.every(([key, value]) => candidate.labels[key] === value)) continue
    if (Object.keys(candidate.labels).length === wanted.length) return candidate.value
    sum = (sum ?? 0) + candidate.value
  }
  return sum
}
