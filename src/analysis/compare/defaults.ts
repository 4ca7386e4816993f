/** What a comparison assumes when the scenario does not say: tolerances, directions and the least data to judge. */

import type { Tolerance } from '../../core/units.js'
import type { Direction } from './types.js'

/** Metrics cutover compares between old and new by default. */
export type DefaultMetric = 'p50' | 'p95' | 'p99' | 'throughput' | 'errorRate' | 'cpuPerRequest' | 'rssMean' | 'rssPeak'

/** Tolerances used when a scenario gives none: latency +10%, throughput −5%, error rate +0.1pp, CPU and RSS +10%. */
export const defaultTolerances: Readonly<Record<DefaultMetric, Tolerance>> = {
  p50: { kind: 'relative', fraction: 0.10 },
  p95: { kind: 'relative', fraction: 0.10 },
  p99: { kind: 'relative', fraction: 0.10 },
  throughput: { kind: 'relative', fraction: -0.05 },
  errorRate: { kind: 'points', fraction: 0.001 },
  cpuPerRequest: { kind: 'relative', fraction: 0.10 },
  rssMean: { kind: 'relative', fraction: 0.10 },
  rssPeak: { kind: 'relative', fraction: 0.10 }
}

/** Which way each default metric gets worse. */
export const metricDirections: Readonly<Record<DefaultMetric, Direction>> = {
  p50: 'higher-is-worse',
  p95: 'higher-is-worse',
  p99: 'higher-is-worse',
  throughput: 'lower-is-worse',
  errorRate: 'higher-is-worse',
  cpuPerRequest: 'higher-is-worse',
  rssMean: 'higher-is-worse',
  rssPeak: 'higher-is-worse'
}

/** Fewest intervals per side before a metric is judged at all; below it the verdict is inconclusive. */
export const minIntervals = 10

/** Confidence level of every comparison interval. */
export const defaultConfidence = 0.95
