/**
 * What of a recorded request is written, and what is replaced: credentials (cookies, Authorization, API keys, token
 * parameters, password fields, anything redact.ts would hide) become `env()` templates whose names are listed, never
 * their values; browser and connection headers are dropped; values that vary become `pick()` of the values seen.
 */
import { isSensitiveHeader, isSensitiveParam, redactText, redactUrl } from '../../core/redact.js'
import { envNameFor } from './naming.js'
import { isJsonObject } from './openapi-values.js'
import type { HarEntry } from './read-har.js'
import { envTemplate, literalJson, literalText, pickTemplate } from './template-text.js'

/** Collects the environment variables the written templates read. */
export type EnvNames = Set<string>

/** Most distinct values a `pick()` lists; the most frequent are kept. */
export const maxPickValues = 20
/** Largest raw (non-JSON) body written. */
export const maxRawBodyBytes = 16 * 1024

/** True when a value looks like a credential whatever its name: `Bearer …`, a JWT, `token=…`. */
function looksSecret (value: string): boolean {
  return redactText(value) !== value || redactUrl(value) !== value
}

function secret (envNames: EnvNames, name: string): string {
  const envName = envNameFor(name)
  envNames.add(envName)
  return envTemplate(envName)
}

/** One literal when every call had the same value, else `pick()` of the most frequent ones. */
export function valueTemplate (values: readonly string[]): string {
  const counts = new Map<string, number>()
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1)
  const distinct = [...counts.keys()]
  if (distinct.length === 1) return literalText(distinct[0] ?? '')
  const frequent = [...counts].sort((a, b) => b[1] - a[1]).slice(0, maxPickValues).map(([value]) => value)
  return pickTemplate(frequent) ?? literalText(frequent[0] ?? '')
}

/** A query parameter of a request: its name and the value template (a credential's from the environment). */
export function queryValue (name: string, values: readonly string[], envNames: EnvNames): string {
  if (isSensitiveParam(name) || values.some(looksSecret)) return secret(envNames, name)
  return valueTemplate(values)
}

/** Headers kept besides credentials: content negotiation and the application's own `x-` headers. */
function keptHeader (name: string, values: readonly string[]): boolean {
  if (name === 'content-type') return true
  if (name === 'accept') return values.every((value) => !value.includes('text/html') && value.trim() !== '*/*')
  return name.startsWith('x-') && !name.startsWith('x-forwarded-')
}

/**
 * The headers of a request recorded `calls` times: credentials as env() templates (a cookie sent in HAR's `cookies`
 * list too), content-type, a non-browser accept, and `x-` headers; the browser's and the connection's are dropped.
 */
export function requestHeaders (calls: readonly HarEntry[], envNames: EnvNames): Record<string, string> {
  const byName = new Map<string, string[]>()
  for (const call of calls) {
    for (const header of call.headers) {
      const name = header.name.toLowerCase()
      if (name.startsWith(':')) continue
      const values = byName.get(name) ?? []
      values.push(header.value)
      byName.set(name, values)
    }
  }
  const headers: Record<string, string> = {}
  if (calls.some((call) => call.hasCookies)) headers.cookie = secret(envNames, 'cookie')
  for (const [name, values] of byName) {
    if (name === 'cookie') continue
    if (isSensitiveHeader(name) || values.some(looksSecret)) headers[name] = secret(envNames, name)
    else if (keptHeader(name, values)) headers[name] = valueTemplate(values)
  }
  return headers
}

/** A JSON body with credential fields (by name, or by a value that looks like one) read from the environment. */
function jsonWithoutSecrets (value: unknown, envNames: EnvNames): unknown {
  if (Array.isArray(value)) return value.map((item) => jsonWithoutSecrets(item, envNames))
  if (!isJsonObject(value)) return typeof value === 'string' && looksSecret(value) ? secret(envNames, 'body_secret') : literalJson(value)
  const copy: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    if (key === '__proto__') continue
    const credential = isSensitiveParam(key) && (typeof item === 'string' || typeof item === 'number')
    copy[key] = credential ? secret(envNames, key) : jsonWithoutSecrets(item, envNames)
  }
  return copy
}

/** The recorded body of a request: JSON or a form with credentials replaced, short plain text, or why it was left out. */
export function recordedBody (call: HarEntry, envNames: EnvNames): { json: unknown } | { body: string } | { omitted: string } | undefined {
  const data = call.postData
  if (data === undefined || data.text === '') return undefined
  const type = data.mimeType.toLowerCase()
  if (/^application\/(?:[\w.-]+\+)?json\b/.test(type) || (type === '' && /^\s*[[{]/.test(data.text))) {
    try {
      return { json: jsonWithoutSecrets(JSON.parse(data.text), envNames) }
    } catch { /* not JSON after all: treated as text below */ }
  }
  if (type.startsWith('application/x-www-form-urlencoded')) {
    const pairs = [...new URLSearchParams(data.text)].map(([name, value]) =>
      `${encodeURIComponent(name)}=${isSensitiveParam(name) || looksSecret(value) ? secret(envNames, name) : literalText(encodeURIComponent(value))}`)
    return { body: pairs.join('&') }
  }
  if (Buffer.byteLength(data.text) > maxRawBodyBytes) return { omitted: `body left out: ${Buffer.byteLength(data.text)} bytes of ${data.mimeType || 'unknown type'}` }
  if (!/^text\/|xml/.test(type)) return { omitted: `body left out: ${data.mimeType || 'unknown type'} (write one by hand)` }
  if (looksSecret(data.text)) return { omitted: 'body left out: it looks like it holds a credential' }
  return { body: literalText(data.text) }
}
