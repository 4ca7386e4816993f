/** timeline.ndjson: one line per target per sampling interval, appended as the run goes, and its one parser. */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import type { TimelineLine } from './timeline-line.js'

/** The file name of the timeline in a run directory. */
export const timelineFileName = 'timeline.ndjson'

/** Appends lines to timeline.ndjson with a write per interval, so a crash loses at most one interval. */
export class TimelineWriter {
  private readonly fd: number

  constructor (readonly path: string) {
    this.fd = openSync(path, 'a')
  }

  /** Writes one line now. */
  append (line: TimelineLine): void {
    writeSync(this.fd, JSON.stringify(line) + '\n')
  }

  close (): void {
    closeSync(this.fd)
  }
}

/** Timeline lines in file order, and how many lines could not be read. */
export interface ParsedTimeline {
  lines: TimelineLine[]
  /** Lines that are not whole timeline objects (a write cut short by a crash, a damaged file). */
  skipped: number
}

function isTimelineLine (value: unknown): value is TimelineLine {
  if (value === null || typeof value !== 'object') return false
  const line = value as Partial<TimelineLine>
  return typeof line.t === 'number' && typeof line.target === 'string'
}

/** Parses timeline.ndjson text, skipping blank lines and counting lines that are not whole timeline objects. */
export function parseTimeline (text: string): ParsedTimeline {
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

/** Reads and parses the timeline of a run directory; no file reads as no lines. */
export function readTimeline (runDir: string): ParsedTimeline {
  let text: string
  try {
    text = readFileSync(join(runDir, timelineFileName), 'utf8')
  } catch {
    return { lines: [], skipped: 0 }
  }
  return parseTimeline(text)
}
