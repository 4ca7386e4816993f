/** `checks.baseline.history`: the trend of a run's scenario over its newest runs, written into the run directory. */

import { existsSync } from 'node:fs'
import { dirname } from 'node:path'
import type { HistorySummary } from '../../core/result-types.js'
import { describeChange } from './history-model.js'
import { historyFiles, writeHistory } from './write-history.js'

/**
 * Reads the newest `last` runs of `scenario` in the folder that holds `runDir` (this run among them) and the
 * accepted baseline, writes history.html and history.md into `runDir`, and returns what result.json says of it.
 */
export function writeRunHistory (runDir: string, scenario: string, last: number, acceptedBaseline: string | undefined): HistorySummary {
  const written = writeHistory([dirname(runDir)], runDir, {
    scenario,
    last,
    ...(acceptedBaseline !== undefined && existsSync(acceptedBaseline) ? { acceptedBaseline } : {})
  })
  return {
    file: historyFiles.html,
    runs: written.history.runs.length,
    steps: written.history.changes.length,
    standing: written.history.standing.map((change) => describeChange(change, written.history)),
    verdict: written.verdict,
    headline: written.headline
  }
}
