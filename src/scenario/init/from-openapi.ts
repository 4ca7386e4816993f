import { isSensitiveHeader, isSensitiveParam } from '../../core/redact.js'
import { envNameFor, identifierFrom, requestNameFrom, scenarioNameFrom, uniqueName } from './naming.js'
import { credentialsFor } from './openapi-security.js'
import { isJsonObject, parameterValue, queryPairs, requestBodyOf, textOf, type JsonObject } from './openapi-values.js'
import { isReadOnlyMethod, scenarioMethod, type StarterDataFile, type StarterRequest, type StarterScenario } from './starter-model.js'
import { dataTemplate, envTemplate, literalText } from './template-text.js'

const pathItemMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const
/** Header parameters OpenAPI says are ignored (the media types and the security scheme set them). */
const ignoredHeaderParameters = new Set(['accept', 'content-type', 'authorization'])

/** What the operations share while they are turned into requests: data columns, names, credentials. */
interface Collected {
  data: Map<string, StarterDataFile>
  names: Set<string>
  envNames: Set<string>
}

const oneLine = (text: string, max = 120): string => {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}

/** The path prefix of the first server (`/v3` of `https://host/v3`), variables replaced by their defaults. */
export function serverBase (document: JsonObject): { basePath: string, url: string | undefined } {
  const server: unknown = Array.isArray(document.servers) ? document.servers[0] : undefined
  if (!isJsonObject(server) || typeof server.url !== 'string') return { basePath: '', url: undefined }
  const variables = isJsonObject(server.variables) ? server.variables : {}
  const url = server.url.replace(/\{([^}]+)\}/g, (all, name: string) => {
    const variable = variables[name]
    return isJsonObject(variable) && variable.default !== undefined ? textOf(variable.default) : all
  })
  let path = url
  let absolute: string | undefined
  try {
    const parsed = new URL(url)
    path = parsed.pathname
    // origin and path only: user:password@ in a server URL stays out of the file
    if (/^https?:$/.test(parsed.protocol)) absolute = `${parsed.origin}${parsed.pathname}`
  } catch { /* a relative URL such as /v3 is the path itself */ }
  return { basePath: path.startsWith('/') ? path.replace(/\/+$/, '') : '', url: absolute }
}

/** A path parameter the document gives no value for: a column of a data file named after the segment before it. */
function pathColumn (collected: Collected, pathTemplate: string, name: string, generated: unknown): string {
  const before = pathTemplate.slice(0, pathTemplate.indexOf(`{${name}}`)).split('/').filter((segment) => segment !== '' && !segment.startsWith('{'))
  const source = identifierFrom(before[before.length - 1] ?? 'params', 'params')
  const column = identifierFrom(name, 'id')
  const file = collected.data.get(source) ?? { source, columns: [], rows: [[]], comment: '' }
  if (!file.columns.includes(column)) {
    file.columns.push(column)
    file.rows[0]?.push(generated === undefined || textOf(generated) === '' ? '1' : textOf(generated))
  }
  file.comment = `${file.columns.join(', ')}: the description gives no example, so one generated row; put real values here, one row each`
  collected.data.set(source, file)
  return dataTemplate(source, column)
}

/** A credential-looking parameter becomes an env() template and its variable is listed. */
function secret (collected: Collected, name: string): string {
  const envName = envNameFor(name)
  collected.envNames.add(envName)
  return envTemplate(envName)
}

/** Where an operation's query, header and cookie parameters go; optional ones the document gives no value for are left out. */
interface PlacedParameters { query: string[], headers: Record<string, string>, cookies: string[], leftOut: string[] }

/** Query, header and cookie parameters placed: credential-looking names as env() templates, the rest as examples or samples. */
function placeParameters (collected: Collected, document: JsonObject, parameters: Iterable<JsonObject>): PlacedParameters {
  const placed: PlacedParameters = { query: [], headers: {}, cookies: [], leftOut: [] }
  for (const parameter of parameters) {
    const name = String(parameter.name)
    const place = parameter.in
    if (place === 'path' || (place === 'header' && ignoredHeaderParameters.has(name.toLowerCase()))) continue
    const { value, fromSpec } = parameterValue(parameter, document)
    if (parameter.required !== true && !fromSpec) { placed.leftOut.push(name); continue }
    if (place === 'query') {
      if (isSensitiveParam(name)) placed.query.push(`${encodeURIComponent(name)}=${secret(collected, name)}`)
      else placed.query.push(...queryPairs(name, value, typeof parameter.style === 'string' ? parameter.style : undefined, typeof parameter.explode === 'boolean' ? parameter.explode : undefined))
    } else if (place === 'header') {
      placed.headers[name.toLowerCase()] = isSensitiveHeader(name) ? secret(collected, name) : literalText(textOf(value))
    } else if (place === 'cookie') {
      placed.cookies.push(`${name}=${isSensitiveParam(name) ? secret(collected, name) : encodeURIComponent(textOf(value))}`)
    }
  }
  return placed
}

/** One operation as a request: parameters filled, credentials from the environment, a body when one is described. */
function requestOf (collected: Collected, document: JsonObject, path: string, method: string, operation: JsonObject, shared: unknown[], basePath: string): StarterRequest | undefined {
  const scenario = scenarioMethod(method)
  if (scenario === undefined) return undefined
  const parameters = new Map<string, JsonObject>()
  for (const parameter of [...shared, ...(Array.isArray(operation.parameters) ? operation.parameters : [])]) {
    if (isJsonObject(parameter) && typeof parameter.name === 'string') parameters.set(`${String(parameter.in)}:${parameter.name}`, parameter)
  }
  let filledPath = path
  for (const name of [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? '')) {
    const parameter = parameters.get(`path:${name}`)
    const { value, fromSpec } = parameter === undefined ? { value: undefined, fromSpec: false } : parameterValue(parameter, document)
    const text = fromSpec ? encodeURIComponent(textOf(value)) : pathColumn(collected, path, name, value)
    filledPath = filledPath.replace(`{${name}}`, text)
  }
  const { query, headers, cookies, leftOut } = placeParameters(collected, document, parameters.values())
  const credentials = credentialsFor(operation, document)
  credentials.envNames.forEach((name) => collected.envNames.add(name))
  Object.assign(headers, credentials.headers)
  query.push(...credentials.query)
  cookies.push(...credentials.cookies)
  if (cookies.length > 0) headers.cookie = cookies.join('; ')
  const body = requestBodyOf(operation.requestBody, document)
  if (body?.kind === 'text') headers['content-type'] = body.contentType
  const id = typeof operation.operationId === 'string' ? operation.operationId : ''
  const baseName = /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(id) ? id : requestNameFrom(method, path)
  const summary = typeof operation.summary === 'string' ? operation.summary : ''
  const extras = [
    ...(leftOut.length === 0 ? [] : [`optional parameters left out: ${leftOut.join(', ')}`]),
    ...(body?.kind === 'omitted' ? [body.reason] : [])
  ]
  return {
    name: uniqueName(baseName, collected.names),
    method: scenario,
    path: `${basePath}${filledPath}${query.length === 0 ? '' : `?${query.join('&')}`}`,
    weight: 1,
    ...(Object.keys(headers).length === 0 ? {} : { headers }),
    ...(body?.kind === 'json' ? { json: body.json } : body?.kind === 'text' ? { body: body.body } : {}),
    comment: oneLine([`${scenario} ${path}${summary === '' ? '' : `: ${summary}`}`, ...extras].join('; '), 200)
  }
}

/**
 * A starter scenario from a dereferenced OpenAPI 3.0 or 3.1 document: one request per operation, read-only ones in the
 * mix and the shadow run, the ones that change data in the mix only, path parameters without examples read from a data file.
 */
export function starterFromOpenApi (document: JsonObject, sourceName: string): StarterScenario {
  const info = isJsonObject(document.info) ? document.info : {}
  const title = typeof info.title === 'string' ? info.title : 'api'
  const { basePath, url } = serverBase(document)
  const collected: Collected = { data: new Map(), names: new Set(), envNames: new Set() }
  const requests: StarterRequest[] = []
  const skipped: string[] = []
  for (const [path, item] of Object.entries(isJsonObject(document.paths) ? document.paths : {})) {
    if (!isJsonObject(item)) continue
    const shared = Array.isArray(item.parameters) ? item.parameters : []
    for (const method of pathItemMethods) {
      const operation = item[method]
      if (!isJsonObject(operation)) continue
      const request = requestOf(collected, document, path, method, operation, shared, basePath)
      if (request === undefined) skipped.push(`${method.toUpperCase()} ${path}`)
      else requests.push(request)
    }
  }
  const readOnly = requests.filter((request) => isReadOnlyMethod(request.method))
  const mutating = requests.filter((request) => !isReadOnlyMethod(request.method))
  const notes = [
    `Written by \`cutover init\` from ${sourceName} (OpenAPI ${String(document.openapi)}, "${oneLine(title, 80)}" ${oneLine(textOf(info.version), 40)}): one request per operation, ${requests.length} in all.`,
    `${readOnly.length} read-only (GET, HEAD, OPTIONS) are marked for the shadow run; ${mutating.length} change data (never shadowed).`,
    'Every request weighs 1: set the weights to your traffic\'s mix. Parameters are the document\'s examples or values generated from its schemas.',
    ...(basePath === '' ? [] : [`Paths start with ${basePath}, the path of the document's first server.`]),
    ...(skipped.length === 0 ? [] : [`Left out (a scenario cannot send them): ${skipped.join(', ')}.`])
  ]
  return {
    name: scenarioNameFrom(title),
    description: oneLine(`Old vs new, from the OpenAPI description "${title}"`, 200),
    notes,
    requests: readOnly,
    mutating,
    shadow: readOnly.map((request) => request.name),
    data: [...collected.data.values()],
    envNames: [...collected.envNames].sort(),
    ...(url === undefined ? {} : { targetsNote: `The document's first server is ${url}.` })
  }
}
