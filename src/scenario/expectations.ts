import { JSONPath } from 'jsonpath-plus'

/** A compiled `expect` block: what makes a response count as a success. */
export interface Expectation {
  /** True when the status code is acceptable. */
  status: (code: number) => boolean
  /** True when the body must be read to judge the response. */
  needsBody: boolean
  bodyContains: string | undefined
  maxLatencyMs: number | undefined
  jsonPaths: Array<{ path: string, expected: unknown }>
}

type StatusSpec = number | string | Array<number | string> | undefined

/** Accepts 200, "2xx", [200, 404]; the default accepts 2xx and 3xx. */
export function statusMatcher (spec: StatusSpec): (code: number) => boolean {
  if (spec === undefined) return (code) => code >= 200 && code < 400
  const list = Array.isArray(spec) ? spec : [spec]
  const exact = new Set<number>()
  const classes = new Set<number>()
  for (const item of list) {
    if (typeof item === 'number') exact.add(item)
    else if (/^[1-5]xx$/.test(item)) classes.add(Number(item[0]))
    else exact.add(Number(item))
  }
  return (code) => exact.has(code) || classes.has(Math.floor(code / 100))
}

/** Builds an Expectation from the validated `expect` object. */
export function compileExpectation (expect: Record<string, unknown> | undefined): Expectation {
  const jsonPaths = Object.entries(expect ?? {})
    .filter(([key]) => key.startsWith('$'))
    .map(([path, expected]) => ({ path, expected }))
  const bodyContains = typeof expect?.bodyContains === 'string' ? expect.bodyContains : undefined
  return {
    status: statusMatcher(expect?.status as StatusSpec),
    needsBody: jsonPaths.length > 0 || bodyContains !== undefined,
    bodyContains,
    maxLatencyMs: typeof expect?.maxLatency === 'number' ? expect.maxLatency : undefined,
    jsonPaths
  }
}

function sameValue (actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'string' && typeof actual !== 'string') return String(actual) === expected
  if (typeof expected === 'number' && typeof actual === 'string') return Number(actual) === expected
  return JSON.stringify(actual) === JSON.stringify(expected)
}

/** How a failed expectation is counted among a target's failures: `http 503` when the status was wrong, else `expectation`. */
export function failureKind (failure: string | undefined, status: number): string | undefined {
  return failure === undefined ? undefined : failure.startsWith('status') ? `http ${status}` : 'expectation'
}

/** Why a response fails its expectation, or undefined when it passes. `body` is only read when needed. */
export function checkResponse (expectation: Expectation, status: number, body: string | undefined, latencyMs: number): string | undefined {
  if (!expectation.status(status)) return `status ${status}`
  if (expectation.maxLatencyMs !== undefined && latencyMs > expectation.maxLatencyMs) return `latency ${latencyMs.toFixed(0)} ms over ${expectation.maxLatencyMs} ms`
  if (!expectation.needsBody) return undefined
  const text = body ?? ''
  if (expectation.bodyContains !== undefined && !text.includes(expectation.bodyContains)) return `body lacks "${expectation.bodyContains}"`
  if (expectation.jsonPaths.length === 0) return undefined
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return 'body is not JSON'
  }
  for (const { path, expected } of expectation.jsonPaths) {
    const found = JSONPath({ path, json: json as object, eval: false, wrap: true }) as unknown[]
    if (found.length === 0) return `${path} missing`
    if (!sameValue(found[0], expected)) return `${path} is ${JSON.stringify(found[0])}, expected ${JSON.stringify(expected)}`
  }
  return undefined
}
