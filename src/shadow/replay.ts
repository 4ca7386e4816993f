/**
 * Recorded traffic for `cutover shadow --replay`: a HAR file (`log.entries[].request {method, url, headers}`) or
 * NDJSON, one `{method, path, headers?, body?}` object per line. Mutating calls are skipped and counted unless
 * `--allow-mutating` is given: recorded traffic has no per-request opt-in.
 */

import { readFileSync, statSync } from 'node:fs'
import { CutoverError } from '../core/errors.js'
import { isReadOnlyMethod } from './safety.js'
import type { SkippedRequest } from './selection.js'

/** One recorded call. */
export interface ReplayEntry {
  method: string
  /** Path and query. */
  path: string
  headers: Record<string, string>
  body: string | undefined
}

/** The calls of a recording that will be sent, and the ones left out. */
export interface ReplayTraffic {
  format: 'har' | 'ndjson'
  entries: ReplayEntry[]
  skipped: SkippedRequest[]
}

/** Largest recording read. */
export const maxReplayBytes = 256 * 1024 * 1024

// hop-by-hop and framing headers belong to the recorded connection, not to the call; without accept-encoding the
// answers come uncompressed, so bodies can be compared
const droppedHeaders = new Set(['host', 'content-length', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'proxy-connection', 'accept-encoding'])

function cleanHeaders (pairs: Array<[string, unknown]>): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [name, value] of pairs) {
    const lower = name.trim().toLowerCase()
    if (lower === '' || lower.startsWith(':') || droppedHeaders.has(lower) || value === undefined || value === null) continue
    headers[lower] = String(value)
  }
  return headers
}

function pathOf (value: string, where: string): string {
  if (value.startsWith('/')) return value
  try {
    const url = new URL(value)
    return `${url.pathname}${url.search}`
  } catch {
    throw new CutoverError('REPLAY_FILE', `${where}: expected an absolute URL or a path starting with /, got ${JSON.stringify(value.slice(0, 100))}`)
  }
}

function isObject (value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** Entries of a HAR document. */
export function parseHar (document: unknown, file: string): ReplayEntry[] {
  const entries = isObject(document) && isObject(document.log) ? document.log.entries : undefined
  if (!Array.isArray(entries)) throw new CutoverError('REPLAY_FILE', `${file} is not a HAR file: log.entries is missing`)
  return entries.map((entry, index) => {
    const where = `${file} log.entries[${index}].request`
    const request = isObject(entry) ? entry.request : undefined
    if (!isObject(request) || typeof request.url !== 'string') throw new CutoverError('REPLAY_FILE', `${where}: expected { method, url, headers }`)
    const headerList = Array.isArray(request.headers) ? request.headers : []
    const pairs = headerList.filter(isObject).map((header): [string, unknown] => [String(header.name ?? ''), header.value])
    const postData = isObject(request.postData) && typeof request.postData.text === 'string' ? request.postData.text : undefined
    return {
      method: typeof request.method === 'string' ? request.method.toUpperCase() : 'GET',
      path: pathOf(request.url, where),
      headers: cleanHeaders(pairs),
      body: postData
    }
  })
}

/** Entries of NDJSON text: one object per line, blank lines allowed. */
export function parseNdjson (text: string, file: string): ReplayEntry[] {
  const entries: ReplayEntry[] = []
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return
    const where = `${file}:${index + 1}`
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch (error) {
      throw new CutoverError('REPLAY_FILE', `${where}: not a JSON object (${error instanceof Error ? error.message : String(error)})`, { hint: 'each line holds one {"method": "GET", "path": "/…", "headers": {…}}' })
    }
    const target = isObject(value) ? value.path ?? value.url : undefined
    if (!isObject(value) || typeof target !== 'string') throw new CutoverError('REPLAY_FILE', `${where}: expected {"method", "path", "headers"}`)
    const headers = isObject(value.headers) ? cleanHeaders(Object.entries(value.headers)) : {}
    entries.push({
      method: typeof value.method === 'string' ? value.method.toUpperCase() : 'GET',
      path: pathOf(target, where),
      headers,
      body: typeof value.body === 'string' ? value.body : value.body === undefined ? undefined : JSON.stringify(value.body)
    })
  })
  return entries
}

/** Splits entries into those sent and the mutating ones skipped (counted by method). */
export function filterReplay (entries: readonly ReplayEntry[], allowMutating: boolean): { entries: ReplayEntry[], skipped: SkippedRequest[] } {
  if (allowMutating) return { entries: [...entries], skipped: [] }
  const kept: ReplayEntry[] = []
  const counts = new Map<string, number>()
  for (const entry of entries) {
    if (isReadOnlyMethod(entry.method)) kept.push(entry)
    else counts.set(entry.method, (counts.get(entry.method) ?? 0) + 1)
  }
  const skipped = [...counts].map(([method, count]) => ({ name: `recorded ${method}`, method, reason: 'mutating (pass --allow-mutating to send recorded mutating calls)', count }))
  return { entries: kept, skipped }
}

/** Reads a HAR or NDJSON recording. */
export function readReplayFile (file: string, allowMutating: boolean): ReplayTraffic {
  let text: string
  try {
    if (statSync(file).size > maxReplayBytes) throw new CutoverError('REPLAY_FILE', `${file} is larger than ${maxReplayBytes / 1024 / 1024} MB`)
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if (error instanceof CutoverError) throw error
    throw new CutoverError('REPLAY_FILE', `cannot read the recording ${file}: ${error instanceof Error ? error.message : String(error)}`)
  }
  let whole: unknown
  try {
    whole = JSON.parse(text)
  } catch { /* not one JSON document: NDJSON */ }
  const isHar = isObject(whole) && isObject(whole.log)
  const all = isHar ? parseHar(whole, file) : parseNdjson(text, file)
  if (all.length === 0) throw new CutoverError('REPLAY_FILE', `${file} holds no requests`)
  const { entries, skipped } = filterReplay(all, allowMutating)
  return { format: isHar ? 'har' : 'ndjson', entries, skipped }
}

const idSegment = /^(?:\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,}|(?=[^/]*\d)[0-9A-Za-z_-]{22,})$/i

/** The endpoint a recorded call counts under: method and path with ids as `{id}` and no query (`GET /products/{id}`). */
export function replayEndpoint (method: string, path: string): string {
  const pathname = path.split('?')[0] ?? path
  const generalized = pathname.split('/').map((segment) => idSegment.test(segment) ? '{id}' : segment).join('/')
  return `${method} ${generalized}`
}
