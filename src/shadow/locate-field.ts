/** File, line and column of a field of the scenario, for errors raised after loading. */

import { readFileSync } from 'node:fs'
import { LineCounter, parseDocument } from 'yaml'
import type { SourceLocation } from '../core/errors.js'
import { formatFieldPath, locate } from '../scenario/locate.js'

/** Where `path` (such as `['shadow', 'requests', 1]`) is in `file`; the field alone when the file cannot be read. */
export function locateScenarioField (file: string, path: Array<string | number>): SourceLocation {
  try {
    const lines = new LineCounter()
    const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lines, prettyErrors: false })
    return locate(file, doc, lines, path)
  } catch {
    return { file, field: formatFieldPath(path) }
  }
}
