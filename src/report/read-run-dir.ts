/** Reads what the reports are drawn from: result.json, timeline.ndjson, scenario.yaml and the names under logs/. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { CutoverError } from '../core/errors.js'
import type { RunResult } from '../core/result-types.js'
import type { TimelineLine } from './timeline.js'

/** Everything in a run directory that the reports use. */
export interface RunDirContents {
  runDir: string
  result: RunResult
  /** Timeline lines in file order; lines that do not parse (a write cut short) are left out. */
  timeline: TimelineLine[]
  /** Lines of timeline.ndjson that could not be read. */
  skippedTimelineLines: number
  /** The redacted copy of the scenario cutover wrote into the run directory, when present. */
  scenarioText?: string
  /** Files under logs/, relative to the run directory (`logs/old.log`). */
  logFiles: string[]
}

/** Parses timeline.ndjson text, skipping blank lines and lines that are not whole JSON objects (a crash mid-write). */
export function parseTimeline (text: string): { lines: TimelineLine[], skipped: number } {
  const lines: TimelineLine[] = []
  let skipped = 0
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue
    try {
      const line = JSON.parse(raw) as unknown
      if (isTimelineLine(line)) lines.push(line)
      else skipped++
    } catch {
      skipped++
    }
  }
  return { lines, skipped }
}

function isTimelineLine (value: unknown): value is TimelineLine {
  if (value === null || typeof value !== 'object') return false
  const line = value as Partial<TimelineLine>
  return typeof line.t === 'number' && typeof line.target === 'string'
}

function readOptional (path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}

function listFiles (dir: string, root: string): string[] {
  if (!existsSync(dir)) return []
  const files: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) files.push(...listFiles(path, root))
    else if (entry.isFile() || (entry.isSymbolicLink() && statSync(path, { throwIfNoEntry: false })?.isFile() === true)) files.push(relative(root, path).split('\\').join('/'))
  }
  return files.sort()
}

/** Reads a run directory; throws a `RUN_DIR` CutoverError when result.json is missing or unreadable. */
export function readRunDir (runDir: string): RunDirContents {
  const resultPath = join(runDir, 'result.json')
  const resultText = readOptional(resultPath)
  if (resultText === undefined) {
    throw new CutoverError('RUN_DIR', `${resultPath} does not exist`, { hint: 'pass a run directory written by `cutover run` (it holds result.json and timeline.ndjson)' })
  }
  let result: RunResult
  try {
    result = JSON.parse(resultText) as RunResult
  } catch (error) {
    throw new CutoverError('RUN_DIR', `${resultPath} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, { hint: 'the run may have been stopped while writing it; rebuild it from timeline.ndjson' })
  }
  const { lines, skipped } = parseTimeline(readOptional(join(runDir, 'timeline.ndjson')) ?? '')
  const scenarioText = readOptional(join(runDir, 'scenario.yaml'))
  return {
    runDir,
    result,
    timeline: lines,
    skippedTimelineLines: skipped,
    ...(scenarioText === undefined ? {} : { scenarioText }),
    logFiles: listFiles(join(runDir, 'logs'), runDir)
  }
}
