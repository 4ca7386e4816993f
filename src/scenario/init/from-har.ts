import { CutoverError } from '../../core/errors.js'
import { selectApiTraffic, type ApiEntry } from './har-filter.js'
import { templateIds } from './har-ids.js'
import { queryValue, recordedBody, requestHeaders, type EnvNames } from './har-secrets.js'
import { requestNameFrom, scenarioNameFrom, uniqueName } from './naming.js'
import type { HarEntry } from './read-har.js'
import { isReadOnlyMethod, scenarioMethod, type StarterDataFile, type StarterRequest, type StarterScenario } from './starter-model.js'
import { literalText } from './template-text.js'

/** Calls of one method, templated path and set of query names: one request, weighted by how many there were. */
export interface RecordedShape {
  method: string
  /** Path with id templates. */
  path: string
  /** Path with `{id}` for people to read. */
  shape: string
  queryNames: string[]
  calls: ApiEntry[]
  /** Per query name, the raw value of each call (undefined for a name without `=`). */
  queryValues: Array<Array<string | undefined>>
}

/** `1 call`, `2 calls`. */
const counted = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`

/** `a=1&b` as raw (still encoded) name and value pairs. */
function queryPairs (search: string): Array<[string, string | undefined]> {
  return search.replace(/^\?/, '').split('&').filter((part) => part !== '').map((part) => {
    const equals = part.indexOf('=')
    return equals === -1 ? [part, undefined] : [part.slice(0, equals), part.slice(equals + 1)]
  })
}

/** Groups recorded calls into requests, heaviest first (ties: first recorded first): weight = number of calls. */
export function recordedShapes (entries: readonly ApiEntry[]): { shapes: RecordedShape[], templated: ReturnType<typeof templateIds> } {
  const templated = templateIds(entries.map((entry) => ({ method: entry.method, pathname: entry.url.pathname })))
  const shapes = new Map<string, RecordedShape>()
  entries.forEach((entry, i) => {
    const pairs = queryPairs(entry.url.search)
    const names = pairs.map(([name]) => name)
    const path = templated.paths[i] ?? entry.url.pathname
    const key = `${entry.method} ${path}?${names.join('&')}`
    const shape = shapes.get(key) ?? { method: entry.method, path, shape: templated.shapes[i] ?? path, queryNames: names, calls: [], queryValues: names.map(() => []) }
    shapes.set(key, shape)
    shape.calls.push(entry)
    pairs.forEach(([, value], k) => shape.queryValues[k]?.push(value))
  })
  // Array.prototype.sort is stable: equal weights keep the order they were first recorded in
  return { shapes: [...shapes.values()].sort((a, b) => b.calls.length - a.calls.length), templated }
}

function requestOf (shape: RecordedShape, total: number, names: Set<string>, envNames: EnvNames): StarterRequest | { skipped: string } {
  const method = scenarioMethod(shape.method)
  if (method === undefined) return { skipped: `${shape.method} ${shape.shape}` }
  const query = shape.queryNames.map((name, k) => {
    const values = shape.queryValues[k] ?? []
    if (values.every((value) => value === undefined)) return literalText(name)
    return `${literalText(name)}=${queryValue(name, values.map((value) => value ?? ''), envNames)}`
  })
  const headers = requestHeaders(shape.calls, envNames)
  const withBody = shape.calls.find((call) => call.postData !== undefined)
  const body = withBody === undefined ? undefined : recordedBody(withBody, envNames)
  const queryShape = shape.queryNames.length === 0 ? '' : `?${shape.queryNames.join('&')}`
  const omitted = body !== undefined && 'omitted' in body ? `; ${body.omitted}` : ''
  return {
    name: uniqueName(requestNameFrom(method, shape.shape), names),
    method,
    path: `${shape.path}${query.length === 0 ? '' : `?${query.join('&')}`}`,
    weight: shape.calls.length,
    ...(Object.keys(headers).length === 0 ? {} : { headers }),
    ...(body !== undefined && 'json' in body ? { json: body.json } : {}),
    ...(body !== undefined && 'body' in body ? { body: body.body } : {}),
    comment: `${method} ${shape.shape}${queryShape}: ${shape.calls.length} of ${total} recorded calls${omitted}`
  }
}

/**
 * A starter scenario from a HAR recording: one request per method and path (ids templated), weighted by how often it
 * was recorded; static assets and other hosts left out; credentials never written, only the env() names that hold them.
 */
export function starterFromHar (entries: readonly HarEntry[], sourceName: string): StarterScenario {
  const traffic = selectApiTraffic(entries)
  if (traffic.origin === undefined) {
    throw new CutoverError('INIT_SOURCE', `${sourceName} holds no call to keep: ${counted(entries.length, 'entry', 'entries')}, ${counted(traffic.assets, 'static asset', 'static assets')}, ${traffic.notHttp} not HTTP(S)`, {
      hint: 'record the HAR while using the service (its API calls, not only its pages\' images and scripts)'
    })
  }
  const { shapes, templated } = recordedShapes(traffic.entries)
  const names = new Set<string>()
  const envNames: EnvNames = new Set()
  const requests: StarterRequest[] = []
  const skipped: string[] = []
  for (const shape of shapes) {
    const request = requestOf(shape, traffic.entries.length, names, envNames)
    if ('skipped' in request) skipped.push(request.skipped)
    else requests.push(request)
  }
  const data: StarterDataFile[] = templated.columns.map((column) => ({
    source: column.source,
    columns: [column.column],
    rows: column.values.map((value) => [value]),
    comment: `${column.values.length} ids seen in ${column.shapes.join(', ')}`
  }))
  const others = traffic.otherOrigins.reduce((sum, other) => sum + other.count, 0)
  const readOnly = requests.filter((request) => isReadOnlyMethod(request.method))
  const mutating = requests.filter((request) => !isReadOnlyMethod(request.method))
  const notes = [
    `Written by \`cutover init\` from ${sourceName}: ${counted(traffic.entries.length, 'call', 'calls')} to ${traffic.origin}, one request per method and path, weighted by how often each was recorded.`,
    ...(traffic.assets === 0 ? [] : [`Left out: ${counted(traffic.assets, 'static asset', 'static assets')} (images, styles, scripts, fonts, media).`]),
    ...(others === 0 ? [] : [`Left out: ${counted(others, 'call', 'calls')} to other hosts (${traffic.otherOrigins.slice(0, 5).map((other) => `${other.origin} ×${other.count}`).join(', ')}${traffic.otherOrigins.length > 5 ? ', …' : ''}).`]),
    ...(traffic.preflights === 0 ? [] : [`Left out: ${counted(traffic.preflights, 'CORS preflight', 'CORS preflights')} the browser made by itself.`]),
    ...(traffic.notHttp === 0 ? [] : [`Left out: ${counted(traffic.notHttp, 'entry that is', 'entries that are')} not an HTTP(S) call.`]),
    ...(skipped.length === 0 ? [] : [`Left out (a scenario cannot send them): ${skipped.join(', ')}.`]),
    ...(data.length === 0 ? [] : ['Ids that varied in paths are read from data files of the values seen.']),
    ...(envNames.size === 0 ? [] : ['Cookies, Authorization and other credentials are not written: env() reads them when the scenario runs.'])
  ]
  return {
    name: scenarioNameFrom(`recorded-${new URL(traffic.origin).hostname}`),
    description: `Old vs new, from calls recorded in ${sourceName}`,
    notes,
    requests: readOnly,
    mutating,
    shadow: readOnly.map((request) => request.name),
    data,
    envNames: [...envNames].sort(),
    targetsNote: `Recorded from ${traffic.origin}.`
  }
}
