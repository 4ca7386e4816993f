/** timeline.ndjson: one line per target per sampling interval, appended as the run goes, and its one parser. */
import { closeSync, openSync, readSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { CoarseTimeline, longRunningCommands, reportPointsPerTarget } from './coarse-timeline.js'
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

/** One row of timeline.ndjson read: the line, or 'unreadable' (not a whole timeline object), or undefined when blank. */
function parseRow (raw: string): TimelineLine | 'unreadable' | undefined {
  if (raw.trim() === '') return undefined
  try {
    const line = JSON.parse(raw) as unknown
    return isTimelineLine(line) ? line : 'unreadable'
  } catch {
    return 'unreadable'
  }
}

/** Parses timeline.ndjson text, skipping blank lines and counting lines that are not whole timeline objects. */
export function parseTimeline (text: string): ParsedTimeline {
  const lines: TimelineLine[] = []
  let skipped = 0
  for (const raw of text.split('\n')) {
    const row = parseRow(raw)
    if (row === 'unreadable') skipped++
    else if (row !== undefined) lines.push(row)
  }
  return { lines, skipped }
}

/** Bytes read from the file at a time. */
const chunkBytes = 1 << 20

/** Where a {@link TimelineTail} stands: bytes read up to the end of the last whole line, and lines it could not read. */
export interface TailState {
  offset: number
  skipped: number
}

/**
 * Reads timeline.ndjson as it grows: each call reads only what was appended since the last one, a chunk at a time,
 * and hands over its whole lines; a line still being written waits for the next call (or `end`). Its state can be
 * kept and a new tail started from it (each live refresh runs in a process of its own).
 */
export class TimelineTail {
  private offset: number
  /** Lines that were not whole timeline objects, so far. */
  skipped: number
  /** Bytes after the last newline read (a line still being written). */
  private rest: Buffer = Buffer.alloc(0)

  constructor (readonly path: string, from: TailState = { offset: 0, skipped: 0 }) {
    this.offset = from.offset
    this.skipped = from.skipped
  }

  /** Where a later tail may start from: after the last whole line read. */
  get state (): TailState {
    return { offset: this.offset - this.rest.length, skipped: this.skipped }
  }

  /** Hands each line appended since the last call to `onLine`; a missing file reads as nothing appended. */
  read (onLine: (line: TimelineLine) => void): void {
    let fd: number
    try {
      fd = openSync(this.path, 'r')
    } catch {
      return
    }
    try {
      const chunk = Buffer.allocUnsafe(chunkBytes)
      for (;;) {
        const bytes = readSync(fd, chunk, 0, chunkBytes, this.offset)
        if (bytes === 0) break
        this.offset += bytes
        // a newline byte never occurs inside a multi-byte UTF-8 character: split there, decode whole lines only
        const data = this.rest.length === 0 ? chunk.subarray(0, bytes) : Buffer.concat([this.rest, chunk.subarray(0, bytes)])
        const lastNewline = data.lastIndexOf(0x0a)
        this.rest = Buffer.from(data.subarray(lastNewline + 1))
        if (lastNewline >= 0) for (const raw of data.toString('utf8', 0, lastNewline).split('\n')) this.take(raw, onLine)
      }
    } finally {
      closeSync(fd)
    }
  }

  /** Reads to the end and takes a last line with no newline after it (a write cut short, unless it parses). */
  end (onLine: (line: TimelineLine) => void): void {
    this.read(onLine)
    const last = this.rest.toString('utf8')
    this.rest = Buffer.alloc(0)
    this.take(last, onLine)
  }

  private take (raw: string, onLine: (line: TimelineLine) => void): void {
    const row = parseRow(raw)
    if (row === 'unreadable') this.skipped++
    else if (row !== undefined) onLine(row)
  }
}

/** Hands every line of a run directory's timeline to `onLine`, read a chunk at a time; how many lines could not be read. */
function readEachLine (runDir: string, onLine: (line: TimelineLine) => void): number {
  const tail = new TimelineTail(join(runDir, timelineFileName))
  tail.end(onLine)
  return tail.skipped
}

/** Reads and parses the timeline of a run directory; no file reads as no lines. */
export function readTimeline (runDir: string): ParsedTimeline {
  const lines: TimelineLine[] = []
  const skipped = readEachLine(runDir, (line) => { lines.push(line) })
  return { lines, skipped }
}

/** The timeline of a run directory with at most `maxPerTarget` points per target (see coarse-timeline.ts). */
export function readCoarseTimeline (runDir: string, maxPerTarget: number): ParsedTimeline {
  const coarse = new CoarseTimeline(maxPerTarget)
  const skipped = readEachLine(runDir, (line) => { coarse.add(line) })
  return { lines: coarse.lines(), skipped }
}

/**
 * The timeline a run's reports draw: every interval, or for a command that runs for days (the proxy) at most
 * {@link reportPointsPerTarget} points per target.
 */
export function readReportTimeline (runDir: string, command: string): ParsedTimeline {
  return longRunningCommands.has(command) ? readCoarseTimeline(runDir, reportPointsPerTarget) : readTimeline(runDir)
}
