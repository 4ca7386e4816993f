/**
 * Splits the analysed samples into blocks of steady load. Memory that follows
 * the load steps up or down between phases; a leak grows within them. Testing
 * for growth only within blocks (Hirsch–Slack's seasonal Kendall idea, with
 * phases as seasons) ignores the steps, and phases whose load changed within
 * them (ramps) are left out when the steady ones hold enough of the run.
 */
import type { MemorySample } from './types.js'
import { medianOf } from './theil-sen.js'

/** A phase whose load changes by more than this share between its first and last quarter is a ramp. */
export const rampLoadChange = 0.2
/** Ramps are only left out when the steady phases keep at least this share of the samples. */
export const minSteadyShare = 0.4

/** Blocks of steady load and the phases that were left out. */
export interface LoadBlocks<T> {
  blocks: T[][]
  skippedPhases: string[]
}

/** Consecutive runs of samples with the same phase name. */
export function phaseRuns<T extends { phase?: string | undefined }> (samples: readonly T[]): T[][] {
  const runs: T[][] = []
  for (const sample of samples) {
    const current = runs[runs.length - 1]
    if (current !== undefined && current[0]?.phase === sample.phase) current.push(sample)
    else runs.push([sample])
  }
  return runs
}

/** True when the load of a run changes by more than {@link rampLoadChange} from its first to its last quarter. */
export function isRamp (run: readonly MemorySample[]): boolean {
  const loads = run.map((s) => s.load).filter((load): load is number => load !== undefined && Number.isFinite(load))
  if (loads.length < 4) return false
  const quarter = Math.max(1, Math.floor(loads.length / 4))
  const start = medianOf(loads.slice(0, quarter))
  const end = medianOf(loads.slice(-quarter))
  const scale = Math.max(Math.abs(start), Math.abs(end))
  return scale > 0 && Math.abs(end - start) / scale > rampLoadChange
}

/** Phase runs, without the ramps when the steady runs hold enough of the samples. */
export function steadyLoadBlocks (samples: readonly MemorySample[]): LoadBlocks<MemorySample> {
  const runs = phaseRuns(samples)
  const steady = runs.filter((run) => !isRamp(run))
  const steadyCount = steady.reduce((sum, run) => sum + run.length, 0)
  if (steady.length === runs.length || steadyCount < minSteadyShare * samples.length) return { blocks: runs, skippedPhases: [] }
  const skippedPhases = runs.filter((run) => isRamp(run)).map((run) => run[0]?.phase ?? '(unnamed)')
  return { blocks: steady, skippedPhases }
}
