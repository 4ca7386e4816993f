/** Redaction of credentials in everything the reports show: headers, URLs, free text and scenario files (SPEC §5). */
import { isMap, isPair, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml'

/** What a redacted value is replaced with. */
export const redactedMark = '[REDACTED]'

const sensitiveHeaderNames = new Set([
  'authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key', 'api-key', 'apikey', 'x-auth', 'x-csrf-token', 'x-xsrf-token'
])
const sensitiveNamePattern = /token|secret|passw|pwd|api[-_]?key|credential|session|signature|jwt|auth/i

/** True for header names whose values are credentials: authorization, cookie, set-cookie, x-api-key, *token*, *secret*, *password*. */
export function isSensitiveHeader (name: string): boolean {
  const lower = name.trim().toLowerCase()
  return sensitiveHeaderNames.has(lower) || sensitiveNamePattern.test(lower)
}

const sensitiveParamNames = new Set(['key', 'sig', 'sid', 'code', 'pass', 'pw', 'ticket', 'hash', 'nonce'])

/** True for query parameter names that carry credentials: token, access_token, api_key, apikey, key, secret, password, auth, signature, sig, session, jwt… */
export function isSensitiveParam (name: string): boolean {
  let decoded = name
  try { decoded = decodeURIComponent(name) } catch { /* keep the raw name */ }
  const lower = decoded.trim().toLowerCase()
  return sensitiveParamNames.has(lower) || sensitiveNamePattern.test(lower) || /(^|[-_.])key$/.test(lower) || lower.endsWith('apikey') || lower.endsWith('accesskey')
}

// name=value after ?, & or ; — the value runs to the next separator, quote or bracket
const queryParam = /([?&;])([^=&?#\s"'<>]{1,100})=([^&#\s"'<>{}[\],]*)/g
const userInfo = /(\b[a-z][a-z0-9+.-]*:\/\/)([^/\s:@"'<>]+):([^/\s@"'<>]+)@/gi

/** A URL or path with token-like query parameters and `user:password@` replaced by `[REDACTED]`. */
export function redactUrl (url: string): string {
  return url
    .replace(userInfo, (_all, scheme: string, user: string) => `${scheme}${user}:${redactedMark}@`)
    .replace(queryParam, (all, separator: string, name: string, value: string) => isSensitiveParam(name) && value !== '' && value !== redactedMark ? `${separator}${name}=${redactedMark}` : all)
}

/** Headers with the values of credential-carrying headers replaced; other values have URLs and tokens redacted. */
export function redactHeaders (headers: Record<string, string | number | string[] | undefined>): Record<string, string> {
  const redacted: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue
    const text = Array.isArray(value) ? value.join(', ') : String(value)
    redacted[name] = isSensitiveHeader(name) ? redactedMark : redactText(text)
  }
  return redacted
}

const headerNames = 'authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|[\\w-]*token[\\w-]*|[\\w-]*secret[\\w-]*|[\\w-]*password[\\w-]*'
const notRedactedYet = `(?!["']?${escapeForRegExp(redactedMark)})`
// `Authorization: Bearer x` as a header line: the value is the rest of the line
const headerLine = new RegExp(`^([ \\t>]*(?:[-*][ \\t]+)?(?:${headerNames})[ \\t]*:[ \\t]*)${notRedactedYet}(?=\\S)(.+)$`, 'gim')
// "authorization": "…" or token=… inside JSON, YAML flow maps, logs; an auth scheme and its token are one value
const quotedKeyValue = new RegExp(`((["']?)\\b(?:${headerNames})\\2[ \\t]*[:=][ \\t]*)${notRedactedYet}("(?:[^"\\\\\\n]|\\\\.)*"|'[^'\\n]*'|(?:Bearer|Basic|Digest|Negotiate|Token)[ \\t]+[^\\s,;&}\\]"']+|[^\\s,;&}\\]"']+)`, 'gi')
// a cookie header inside a line: every cookie to the end of the line is a credential
const cookieInLine = new RegExp(`(\\b(?:set-)?cookie[ \\t]*:[ \\t]*)${notRedactedYet}(?=\\S)([^\\n"']+)`, 'gi')
// `Bearer …` anywhere; `Basic …` only when what follows looks like base64 rather than a word
const bearer = /\b(Bearer)([ \t]+)(?!\[REDACTED\])(?=[A-Za-z0-9._~+/=-]*[0-9._~+/=-]|[A-Za-z]{12})[A-Za-z0-9._~+/=-]{2,}/gi
const basic = /\b(Basic|Digest)([ \t]+)(?!\[REDACTED\])(?=[A-Za-z0-9+/]*[0-9+/=])[A-Za-z0-9+/]{6,}={0,2}/g
const jwt = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g

function escapeForRegExp (text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Free text with credential header lines, `Bearer …`, JWT-looking strings, `token=…` pairs and token-like URL parameters redacted. */
export function redactText (text: string): string {
  if (text === '') return text
  return redactUrl(text)
    .replace(headerLine, (_all, head: string) => `${head}${redactedMark}`)
    .replace(cookieInLine, (_all, head: string) => `${head}${redactedMark}`)
    .replace(quotedKeyValue, (_all, head: string, _quote: string, value: string) => {
      const quote = value.startsWith('"') ? '"' : value.startsWith("'") ? "'" : ''
      return `${head}${quote}${redactedMark}${quote}`
    })
    .replace(bearer, (_all, scheme: string, space: string) => `${scheme}${space}${redactedMark}`)
    .replace(basic, (_all, scheme: string, space: string) => `${scheme}${space}${redactedMark}`)
    .replace(jwt, redactedMark)
}

interface Replacement { start: number, end: number, text: string }

function scalarSource (value: string, original: string): string {
  // a changed scalar is written quoted, which is valid YAML wherever the original stood; a block scalar keeps its line end
  const trailing = /\s*$/.exec(original)?.[0] ?? ''
  return (original.startsWith("'") ? `'${value.replace(/'/g, "''")}'` : JSON.stringify(value)) + trailing
}

function collect (node: YamlNode | null | undefined, sensitiveKey: boolean, text: string, replacements: Replacement[]): void {
  if (node === null || node === undefined) return
  if (isScalar(node)) {
    const range = node.range
    if (range === undefined || range === null || typeof node.value !== 'string') return
    const original = text.slice(range[0], range[1])
    const value = sensitiveKey ? redactedMark : redactText(node.value)
    if (value !== node.value) replacements.push({ start: range[0], end: range[1], text: scalarSource(value, original) })
    return
  }
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue
      const key = pair.key as YamlNode | null
      const keyName = isScalar(key) ? String(key.value) : ''
      collect(pair.value as YamlNode | null, sensitiveKey || isSensitiveHeader(keyName), text, replacements)
    }
    return
  }
  if (isSeq(node)) {
    for (const item of node.items) collect(item as YamlNode | null, sensitiveKey, text, replacements)
  }
}

/**
 * A scenario file (YAML or JSON) with the values of credential headers
 * (authorization, cookie, set-cookie, x-api-key, *token*, *secret*, *password*)
 * and token-like URL parameters redacted; everything else keeps its layout.
 */
export function redactScenarioText (yamlText: string): string {
  const replacements: Replacement[] = []
  try {
    const document = parseDocument(yamlText, { keepSourceTokens: false, uniqueKeys: false })
    if (document.errors.length === 0) collect(document.contents as YamlNode | null, false, yamlText, replacements)
  } catch {
    // unparsable: the line rules below still apply
  }
  let redacted = yamlText
  for (const replacement of replacements.sort((a, b) => b.start - a.start)) {
    redacted = redacted.slice(0, replacement.start) + replacement.text + redacted.slice(replacement.end)
  }
  // comments, block scalars and files that did not parse: the free-text rules catch what is left
  return redactText(redacted)
}

/** A deep copy of JSON data with every string (and object key) passed through `redactText`, and `headers` objects through `redactHeaders`. */
export function redactDeep<T> (value: T, skipKeys: ReadonlySet<string> = new Set()): T {
  return walk(value, skipKeys) as T
}

function walk (value: unknown, skipKeys: ReadonlySet<string>): unknown {
  if (typeof value === 'string') return redactText(value)
  if (Array.isArray(value)) return value.map((item) => walk(item, skipKeys))
  if (value === null || typeof value !== 'object') return value
  const copy: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (skipKeys.has(key)) {
      copy[key] = item
    } else if (key.toLowerCase() === 'headers' && item !== null && typeof item === 'object' && !Array.isArray(item)) {
      copy[key] = redactHeaders(item as Record<string, string>)
    } else {
      copy[redactText(key)] = walk(item, skipKeys)
    }
  }
  return copy
}
