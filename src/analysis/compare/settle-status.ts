/** Whether a run looked at as it goes (`--until-settled`) has settled, and how close each metric is, in one line. */
import type { ComparisonMetric } from '../../core/result-types.js'

/** The metrics that the added rounds decide: those measured in the rounds of the settling phase. */
export const settlingMetrics: readonly string[] = ['p50', 'p95', 'p99', 'errorRate', 'cpuPerRequest', 'rssMean']

/** Settled when every settling metric present is pass or fail. */
export function settleStatus (metrics: readonly ComparisonMetric[], rounds: number): { settled: boolean, line: string } {
  const judged = metrics.filter((metric) => settlingMetrics.includes(metric.name))
  const open = judged.filter((metric) => metric.verdict === 'inconclusive')
  const words = judged.map((metric) => metric.verdict === 'inconclusive' ? `${metric.name} inconclusive${metric.settle === undefined ? '' : ` (${metric.settle.replace(/ would settle it$/, '')})`}` : `${metric.name} ${metric.verdict}`)
  return { settled: judged.length > 0 && open.length === 0, line: `settle: ${rounds} rounds — ${words.join(', ')}` }
}
