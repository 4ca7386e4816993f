/**
 * A parser for the Prometheus text exposition format (version 0.0.4), pure and lenient: a line it cannot read is
 * reported in `problems` and skipped, the rest still counts.
 *
 * Read: `# HELP` and `# TYPE` lines (other `#` lines are comments), samples `name{label="value",…} value [timestamp]`
 * with a trailing comma allowed, label values with the escapes `\\`, `\"` and `\n` (any other backslash is kept as
 * written), values `NaN`, `+Inf`, `-Inf`, timestamps in milliseconds, spaces or tabs between tokens, CRLF line
 * ends, quoted (UTF-8) metric and label names as in `{"my.metric", "my.label"="x"} 1`, and an OpenMetrics exemplar
 * (` # {…} …`) after the value, which is ignored.
 */

/** One sample line. */
export interface PrometheusSeries {
  name: string
  labels: Record<string, string>
  value: number
  /** Milliseconds since the epoch, when the line carries one. */
  timestampMs?: number
}

/** A line that could not be read. Lines start at 1. */
export interface ExpositionProblem {
  line: number
  message: string
}

/** All a scrape said. */
export interface PrometheusExposition {
  series: PrometheusSeries[]
  /** `# HELP` text by metric name, unescaped. */
  help: Map<string, string>
  /** `# TYPE` by metric name: counter, gauge, histogram, summary, untyped. */
  types: Map<string, string>
  problems: ExpositionProblem[]
}

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*/
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*/

class ParseError extends Error {}

/** Parses a whole exposition. */
export function parsePrometheusText (text: string): PrometheusExposition {
  const exposition: PrometheusExposition = { series: [], help: new Map(), types: new Map(), problems: [] }
  const lines = text.split('\n')
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] ?? '').replace(/\r$/, '')
    if (line.trim() === '') continue
    try {
      if (line.trimStart().startsWith('#')) readComment(line, exposition)
      else exposition.series.push(parseSeriesLine(line))
    } catch (error) {
      if (!(error instanceof ParseError)) throw error
      exposition.problems.push({ line: index + 1, message: error.message })
    }
  }
  return exposition
}

/** Parses one sample line; throws an Error saying what is wrong. */
export function parseSeriesLine (line: string): PrometheusSeries {
  const cursor = new Cursor(line)
  cursor.skipBlanks()
  let name = cursor.peek() === '{' ? undefined : cursor.take(metricName, 'a metric name')
  const labels: Record<string, string> = {}
  let spaced = cursor.skipBlanks()
  if (cursor.peek() === '{') {
    name = readLabels(cursor, labels, name)
    spaced = cursor.skipBlanks()
  }
  if (name === undefined) throw new ParseError('no metric name')
  if (!spaced || cursor.atEnd()) throw new ParseError(`expected a space and a value after ${name}`)
  const value = parseValue(cursor.word())
  const series: PrometheusSeries = { name, labels, value }
  cursor.skipBlanks()
  if (!cursor.atEnd() && cursor.peek() !== '#') {
    const timestamp = cursor.word()
    if (!/^-?\d+$/.test(timestamp)) throw new ParseError(`timestamp ${JSON.stringify(timestamp)} is not whole milliseconds`)
    series.timestampMs = Number(timestamp)
    cursor.skipBlanks()
  }
  // an OpenMetrics exemplar may follow; anything else is garbage
  if (!cursor.atEnd() && cursor.peek() !== '#') throw new ParseError(`unexpected ${JSON.stringify(cursor.rest())} after the value`)
  return series
}

/** `NaN`, `+Inf`, `-Inf` (any case, `Infinity` too) or a decimal number. */
function parseValue (word: string): number {
  if (/^nan$/i.test(word)) return NaN
  const infinity = /^([+-]?)inf(inity)?$/i.exec(word)
  if (infinity !== null) return infinity[1] === '-' ? -Infinity : Infinity
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(word)) throw new ParseError(`value ${JSON.stringify(word)} is not a number`)
  return Number(word)
}

/** Reads `{…}` into `labels`; returns the metric name, which may be given quoted inside the braces. */
function readLabels (cursor: Cursor, labels: Record<string, string>, name: string | undefined): string | undefined {
  cursor.expect('{')
  for (;;) {
    cursor.skipBlanks()
    if (cursor.peek() === '}') break
    const quoted = cursor.peek() === '"'
    const key = quoted ? readQuoted(cursor) : cursor.take(labelName, 'a label name')
    cursor.skipBlanks()
    if (cursor.peek() === '=') {
      cursor.expect('=')
      cursor.skipBlanks()
      if (cursor.peek() !== '"') throw new ParseError(`label ${key} needs a value in double quotes`)
      if (Object.hasOwn(labels, key)) throw new ParseError(`label ${key} appears twice`)
      Object.defineProperty(labels, key, { value: readQuoted(cursor), enumerable: true, writable: true, configurable: true })
    } else if (quoted && name === undefined) {
      name = key
    } else {
      throw new ParseError(`expected = after ${key}`)
    }
    cursor.skipBlanks()
    if (cursor.peek() === ',') cursor.expect(',')
    else if (cursor.peek() !== '}') throw new ParseError('expected , or } between labels')
  }
  cursor.expect('}')
  return name
}

/** A double-quoted string with `\\`, `\"` and `\n` escapes. */
function readQuoted (cursor: Cursor): string {
  cursor.expect('"')
  let value = ''
  for (;;) {
    const char = cursor.next()
    if (char === undefined) throw new ParseError('a quoted string is not closed')
    if (char === '"') return value
    if (char !== '\\') {
      value += char
      continue
    }
    const escaped = cursor.next()
    if (escaped === undefined) throw new ParseError('a quoted string is not closed')
    value += escaped === 'n' ? '\n' : escaped === '\\' || escaped === '"' ? escaped : `\\${escaped}`
  }
}

function readComment (line: string, exposition: PrometheusExposition): void {
  const cursor = new Cursor(line)
  cursor.skipBlanks()
  cursor.expect('#')
  if (!cursor.skipBlanks()) return
  const keyword = cursor.word()
  if (keyword !== 'HELP' && keyword !== 'TYPE') return
  if (!cursor.skipBlanks()) throw new ParseError(`# ${keyword} needs a metric name`)
  const name = cursor.peek() === '"' ? readQuoted(cursor) : cursor.take(metricName, 'a metric name')
  const hasText = cursor.skipBlanks()
  if (!hasText && !cursor.atEnd()) throw new ParseError(`expected a space after the metric name in # ${keyword}`)
  if (keyword === 'HELP') {
    exposition.help.set(name, cursor.rest().replace(/\\(\\|n)/g, (_all, escaped: string) => escaped === 'n' ? '\n' : '\\'))
  } else {
    const type = cursor.rest().trim()
    if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(type)) throw new ParseError(`unknown metric type ${JSON.stringify(type)}`)
    exposition.types.set(name, type)
  }
}

/** A position in one line. */
class Cursor {
  private position = 0
  constructor (private readonly line: string) {}

  peek (): string | undefined { return this.line[this.position] }
  next (): string | undefined { return this.line[this.position++] }
  atEnd (): boolean { return this.position >= this.line.length }
  rest (): string { return this.line.slice(this.position) }

  /** Skips spaces and tabs; true when there were any. */
  skipBlanks (): boolean {
    const start = this.position
    while (this.peek() === ' ' || this.peek() === '\t') this.position++
    return this.position > start
  }

  /** Characters up to the next blank or the end of the line. */
  word (): string {
    const start = this.position
    while (!this.atEnd() && this.peek() !== ' ' && this.peek() !== '\t') this.position++
    return this.line.slice(start, this.position)
  }

  take (pattern: RegExp, what: string): string {
    const match = pattern.exec(this.rest())
    if (match === null) throw new ParseError(`expected ${what} at column ${this.position + 1}`)
    this.position += match[0].length
    return match[0]
  }

  expect (char: string): void {
    if (this.peek() !== char) throw new ParseError(`expected ${char} at column ${this.position + 1}`)
    this.position++
  }
}
