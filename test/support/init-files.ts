import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { parse } from 'yaml'

/** A request as `cutover init` writes it. */
export interface WrittenRequest {
  name: string
  method?: string
  path: string
  weight: number
  headers?: Record<string, string>
  json?: unknown
  body?: string
}

/** The parts of a written scenario the init tests look at. */
export interface WrittenScenario {
  text: string
  requests: WrittenRequest[]
  /** The requests written commented out (the ones that change data), parsed after uncommenting them. */
  commentedOut: WrittenRequest[]
  shadow: string[]
  phases: Array<{ name: string, rate?: unknown, connections?: number }>
  data: Record<string, { file: string }>
  /** The scenario's text with the commented-out requests uncommented in place. */
  uncommented: string
}

const marker = 'To send one, uncomment it'

/** Reads a scenario written by `cutover init`, uncommenting its commented-out requests as a user would. */
export function readWritten (file: string): WrittenScenario {
  const text = readFileSync(file, 'utf8')
  const lines = text.split('\n')
  const start = lines.findIndex((line) => line.includes(marker))
  let end = start + 1
  while (start !== -1 && end < lines.length && /^\s+#/.test(lines[end] ?? '')) end++
  const block = start === -1 ? [] : lines.slice(start + 1, end).map((line) => line.replace(/^(\s*)# ?/, '$1'))
  const uncommented = start === -1 ? text : [...lines.slice(0, start + 1), ...block, ...lines.slice(end)].join('\n')
  const parsed = parse(text) as Omit<WrittenScenario, 'text' | 'commentedOut' | 'uncommented' | 'shadow'> & { shadow?: { requests: string[] } }
  return {
    text,
    requests: parsed.requests,
    commentedOut: block.length === 0 ? [] : parse(block.join('\n')) as WrittenRequest[],
    shadow: parsed.shadow?.requests ?? [],
    phases: parsed.phases,
    data: parsed.data ?? {},
    uncommented
  }
}

/** The schema file line 1 points editors at, resolved from the scenario's folder; undefined when line 1 is not the comment. */
export function schemaOfLineOne (file: string): string | undefined {
  const first = readFileSync(file, 'utf8').split('\n')[0] ?? ''
  const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(first)
  return match?.[1] === undefined ? undefined : resolve(dirname(file), match[1])
}
