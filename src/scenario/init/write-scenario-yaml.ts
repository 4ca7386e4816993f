import { Document, isMap, isPair, isScalar, isSeq, type Node as YamlNode, type Pair, type YAMLMap, type YAMLSeq } from 'yaml'
import { starterChecks, starterChecksComment, starterPhases, starterPhasesComment } from './starter.js'
import type { StarterRequest, StarterScenario } from './starter-model.js'

/** Where the written scenario points: its schema, its targets, its data files. */
export interface ScenarioYamlOptions {
  /** The JSON Schema's path relative to the scenario's folder (or a URL), for `yaml-language-server`. */
  schemaPath: string
  /** The old service's base URL; a placeholder with a comment when undefined. */
  oldUrl: string | undefined
  /** The new service's base URL; a placeholder with a comment when undefined. */
  newUrl: string | undefined
  /** The data file of a data source, relative to the scenario's folder. */
  dataFilePath: (source: string) => string
  /** `--read-only`: the requests that change data are written commented out instead of joining the load mix. */
  readOnly?: boolean
}

/** Placeholder target URLs when none are given. */
export const placeholderUrls = { old: 'http://127.0.0.1:8080', new: 'http://127.0.0.1:8081' } as const

/** A request as the scenario format writes it: GET is the default method, so it is left out. */
function requestValue (request: StarterRequest): Record<string, unknown> {
  const value: Record<string, unknown> = { name: request.name, weight: request.weight }
  if (request.method !== 'GET') value.method = request.method
  value.path = request.path
  if (request.headers !== undefined && Object.keys(request.headers).length > 0) value.headers = request.headers
  if (request.json !== undefined) value.json = request.json
  if (request.body !== undefined) value.body = request.body
  return value
}

function pairOf (map: YAMLMap, key: string): Pair<YamlNode, YamlNode> | undefined {
  const pair = map.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === key)
  return pair as Pair<YamlNode, YamlNode> | undefined
}

/** Sets the comment lines above a top-level key, after a blank line. */
function commentAbove (map: YAMLMap, key: string, comment: string): void {
  const pair = pairOf(map, key)
  if (pair === undefined || !isScalar(pair.key)) return
  pair.key.commentBefore = comment
  pair.key.spaceBefore = true
}

/** A request list node: each request with its comment line above it, headers on one line. */
function requestSeq (document: Document, requests: readonly StarterRequest[]): YAMLSeq {
  const seq = document.createNode(requests.map(requestValue)) as YAMLSeq
  seq.items.forEach((item, index) => {
    const comment = requests[index]?.comment
    if (comment !== undefined && isMap(item)) (item as YAMLMap).commentBefore = ` ${comment}`
    const headers = isMap(item) ? (item as YAMLMap).get('headers', true) : undefined
    if (isMap(headers)) headers.flow = true
  })
  return seq
}

/** `--read-only`: the requests that change data as YAML text inside a comment; uncommenting a block gives a valid request. */
function mutatingComment (requests: readonly StarterRequest[]): string {
  const inner = new Document()
  inner.contents = requestSeq(inner, requests)
  const listing = inner.toString({ lineWidth: 0 }).trimEnd().split('\n').map((line) => ` ${line}`)
  return [
    ' Requests that change data are NOT sent (cutover init --read-only).',
    ' To send one, uncomment it (it then joins the load mix, never the shadow run).',
    ...listing
  ].join('\n')
}

/** The requests that change data, marked as such where they stand in the load mix. */
function markedMutating (requests: readonly StarterRequest[]): StarterRequest[] {
  return requests.map((request) => ({ ...request, comment: `CHANGES DATA (${request.method}), never shadowed: ${request.comment ?? request.path}` }))
}

/** The comment above `requests:`: what is picked how, the requests that change data, the credentials. */
function requestsComment (starter: StarterScenario, readOnly: boolean): string {
  const lines = [' The load mix: each request is picked in proportion to its weight.']
  if (!readOnly && starter.mutating.length > 0) {
    lines.push(` ${starter.mutating.length === 1 ? '1 request changes' : `${starter.mutating.length} requests change`} data (marked CHANGES DATA): point the targets at services whose data may change,`,
      ' or write the file again with `cutover init --read-only` to leave them commented out.')
  }
  if (starter.envNames.length > 0) lines.push(` Credentials are not written here: set ${starter.envNames.join(', ')} in the environment (read by env()).`)
  return lines.join('\n')
}

function targetsComment (starter: StarterScenario, options: ScenarioYamlOptions): string {
  const lines = [' old: the service in production today; new: the one replacing it (base URLs; paths come from the requests).']
  if (options.oldUrl === undefined || options.newUrl === undefined) lines.push(' CHANGE THESE: cutover init wrote placeholder URLs (or run it with --old URL --new URL).')
  if (starter.targetsNote !== undefined) lines.push(` ${starter.targetsNote}`)
  return lines.join('\n')
}

/** The scenario file's text: the schema comment on line 1, then the scenario with comments that say what to change. */
export function scenarioYaml (starter: StarterScenario, options: ScenarioYamlOptions): string {
  const data = starter.data.length === 0
    ? undefined
    : Object.fromEntries(starter.data.map((file) => [file.source, { file: options.dataFilePath(file.source) }]))
  const document = new Document({
    name: starter.name,
    description: starter.description,
    targets: {
      old: { url: options.oldUrl ?? placeholderUrls.old },
      new: { url: options.newUrl ?? placeholderUrls.new }
    },
    ...(data === undefined ? {} : { data }),
    requests: [],
    ...(starter.shadow.length === 0 ? {} : { shadow: { requests: starter.shadow } }),
    phases: starterPhases.map(({ comment: _comment, ...phase }) => phase),
    checks: starterChecks
  })
  document.commentBefore = [` yaml-language-server: $schema=${options.schemaPath}`, ...starter.notes.map((note) => ` ${note}`)].join('\n')
  const root = document.contents as YAMLMap
  commentAbove(root, 'targets', targetsComment(starter, options))
  if (data !== undefined) {
    commentAbove(root, 'data', ' Data files beside the scenario: templates read a row per request as {{ <source>.<column> }}.')
    const dataMap: unknown = root.get('data', true)
    starter.data.forEach((file) => {
      const entry = isMap(dataMap) ? pairOf(dataMap, file.source) : undefined
      if (entry === undefined) return
      if (isMap(entry.value)) entry.value.flow = true
      if (isScalar(entry.key)) entry.key.commentBefore = ` ${file.comment}`
    })
  }
  const readOnly = options.readOnly === true
  const requests = requestSeq(document, readOnly ? starter.requests : [...starter.requests, ...markedMutating(starter.mutating)])
  if (readOnly && starter.mutating.length > 0) requests.comment = mutatingComment(starter.mutating)
  const requestsPair = pairOf(root, 'requests')
  if (requestsPair !== undefined) requestsPair.value = requests
  commentAbove(root, 'requests', requestsComment(starter, readOnly))
  if (starter.shadow.length > 0) commentAbove(root, 'shadow', ' `cutover shadow` sends these read-only requests to old (twice) and new, and compares the answers.')
  commentAbove(root, 'phases', starterPhasesComment)
  const phases: unknown = root.get('phases', true)
  if (isSeq(phases)) phases.items.forEach((item, index) => {
    if (!isMap(item)) return
    item.flow = true
    const comment = starterPhases[index]?.comment
    if (comment !== undefined) item.comment = ` ${comment}`
  })
  commentAbove(root, 'checks', starterChecksComment)
  const checks: unknown = root.get('checks', true)
  if (isMap(checks)) for (const item of checks.items) if (isMap(item.value)) item.value.flow = true
  return document.toString({ lineWidth: 0 })
}
