/** Reads a whole run directory: result.json, timeline.ndjson, run.json, scenario.yaml and the names under logs/. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import type { RunResult } from '../core/result-types.js'
import { checkRunDir, readResultFile } from './result-file.js'
import { readRunPlan, type RunPlanFile } from './run-plan-file.js'
import { scenarioCopyFileName } from './scenario-copy.js'
import type { TimelineLine } from './timeline-line.js'
import { readTimeline } from './timeline-file.js'

/** Everything in a run directory that reports, baselines and analysis use. */
export interface RunDirContents {
  /** Absolute path of the run directory. */
  runDir: string
  result: RunResult
  /** Timeline lines in file order; lines that do not parse (a write cut short) are left out. */
  timeline: TimelineLine[]
  /** Lines of timeline.ndjson that could not be read. */
  skippedTimelineLines: number
  /** run.json, absent in runs older than it. */
  plan?: RunPlanFile
  /** The redacted copy of the scenario cutover wrote into the run directory, when present. */
  scenarioText?: string
  /** Files under logs/, relative to the run directory (`logs/old.log`). */
  logFiles: string[]
}

function readOptional (path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}

/** Files below `dir`, relative to `root` with forward slashes, sorted. */
export function listRunFiles (dir: string, root: string): string[] {
  if (!existsSync(dir)) return []
  const files: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) files.push(...listRunFiles(path, root))
    else if (entry.isFile() || (entry.isSymbolicLink() && statSync(path, { throwIfNoEntry: false })?.isFile() === true)) files.push(relative(root, path).split('\\').join('/'))
  }
  return files.sort()
}

/**
 * Reads a run directory; throws `RUN_DIR_INVALID` when it is not one or its result.json cannot be used. With
 * `timeline: false` the timeline is left unread (empty), for a caller that reads it its own way.
 */
export function readRunDir (dir: string, options: { timeline?: boolean } = {}): RunDirContents {
  const runDir = resolve(dir)
  checkRunDir(runDir, dir)
  const result = readResultFile(runDir, dir)
  const { lines, skipped } = options.timeline === false ? { lines: [], skipped: 0 } : readTimeline(runDir)
  const plan = readRunPlan(runDir)
  const scenarioText = readOptional(join(runDir, scenarioCopyFileName))
  return {
    runDir,
    result,
    timeline: lines,
    skippedTimelineLines: skipped,
    ...(plan === undefined ? {} : { plan }),
    ...(scenarioText === undefined ? {} : { scenarioText }),
    logFiles: listRunFiles(join(runDir, 'logs'), runDir)
  }
}
