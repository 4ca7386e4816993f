import { readFileSync, statSync } from 'node:fs'
import { extname, resolve } from 'node:path'
import { parse as parseCsv } from 'csv-parse/sync'
import { CutoverError, type SourceLocation } from '../core/errors.js'

/** Rows of one data source, read once at load time. */
export interface DataSource {
  name: string
  rows: Array<Record<string, unknown>>
  order: 'random' | 'sequential'
}

const maxDataFileBytes = 100 * 1024 * 1024

/** Reads a CSV (header row first) or JSON (array of objects) data file relative to the scenario's folder. */
export function readDataSource (name: string, file: string, order: 'random' | 'sequential', scenarioDir: string, location: SourceLocation): DataSource {
  const path = resolve(scenarioDir, file)
  const fail = (message: string, cause?: unknown): never => {
    throw new CutoverError('DATA_FILE', message, { issues: [{ location, message }], cause })
  }
  let size = 0
  let regular = false
  try {
    const stats = statSync(path)
    size = stats.size
    regular = stats.isFile()
  } catch {
    fail(`data file "${file}" not found (looked at ${path})`)
  }
  // a folder would throw EISDIR; a device or FIFO (/dev/zero, /dev/stdin) could be read forever
  if (!regular) fail(`data file "${file}" is not a regular file (looked at ${path})`)
  if (size > maxDataFileBytes) fail(`data file "${file}" is larger than 100 MB`)
  let text = ''
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    fail(`data file "${file}" cannot be read: ${error instanceof Error ? error.message : String(error)}`, error)
  }
  let rows: unknown
  let protoColumn = false
  const extension = extname(path).toLowerCase()
  try {
    if (extension === '.json') {
      rows = JSON.parse(text)
    } else if (extension === '.ndjson' || extension === '.jsonl') {
      rows = text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as unknown)
    } else {
      rows = parseCsv(text, { columns: (header: string[]) => { protoColumn ||= header.includes('__proto__'); return header }, skip_empty_lines: true, trim: true, bom: true })
    }
  } catch (error) {
    fail(`data file "${file}" cannot be read: ${error instanceof Error ? error.message : String(error)}`, error)
  }
  if (!Array.isArray(rows) || rows.length === 0 || !rows.every((row) => row !== null && typeof row === 'object' && !Array.isArray(row))) {
    fail(`data file "${file}" must hold at least one row: a CSV with a header line, or a JSON array of objects`)
  }
  // csv-parse drops such a column and JSON.parse keeps it; refuse it either way rather than guess
  if (protoColumn || (rows as object[]).some((row) => Object.hasOwn(row, '__proto__'))) {
    fail(`data file "${file}" has a column named "__proto__", which JavaScript objects cannot hold safely; rename it`)
  }
  return { name, rows: rows as Array<Record<string, unknown>>, order }
}
