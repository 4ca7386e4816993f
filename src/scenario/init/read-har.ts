import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { CutoverError } from '../../core/errors.js'
import { checkSourceFile } from './source-file.js'

/** One recorded request of a HAR file, with what `cutover init` needs to know about it. */
export interface HarEntry {
  method: string
  /** The absolute URL; undefined when the entry's URL does not parse. */
  url: URL | undefined
  headers: Array<{ name: string, value: string }>
  /** True when the request carried cookies (in a Cookie header or HAR's `cookies` list). */
  hasCookies: boolean
  postData: { mimeType: string, text: string } | undefined
  /** Chromium's `_resourceType` (document, xhr, fetch, image, stylesheet, script, font…), when recorded. */
  resourceType: string | undefined
  /** The response's content type, when recorded. */
  responseMimeType: string | undefined
}

/** Largest HAR file read (as `cutover shadow --replay` reads). */
export const maxHarBytes = 256 * 1024 * 1024

function isObject (value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

const text = (value: unknown): string | undefined => typeof value === 'string' ? value : undefined

/** The entries of a parsed HAR document (HAR 1.2: `log.entries[].request`); `name` places problems. */
export function harEntries (document: unknown, name: string): HarEntry[] {
  const entries = isObject(document) && isObject(document.log) ? document.log.entries : undefined
  if (!Array.isArray(entries)) {
    throw new CutoverError('INIT_SOURCE', `${name} is not a HAR file: log.entries is missing`, { hint: 'record one with the browser\'s developer tools (Network, "Save all as HAR") or Playwright\'s recordHar' })
  }
  return entries.map((entry, index) => {
    const request = isObject(entry) ? entry.request : undefined
    if (!isObject(request) || typeof request.url !== 'string') {
      throw new CutoverError('INIT_SOURCE', `${name} log.entries[${index}].request: expected { method, url, headers }`)
    }
    let url: URL | undefined
    try { url = new URL(request.url) } catch { url = undefined }
    const headers = (Array.isArray(request.headers) ? request.headers : []).filter(isObject)
      .map((header) => ({ name: String(header.name ?? '').trim(), value: String(header.value ?? '') }))
      .filter((header) => header.name !== '')
    const cookies = Array.isArray(request.cookies) ? request.cookies : []
    const postData = isObject(request.postData) && typeof request.postData.text === 'string'
      ? { mimeType: text(request.postData.mimeType) ?? '', text: request.postData.text }
      : undefined
    const response = isObject(entry) && isObject(entry.response) ? entry.response : undefined
    const content = response !== undefined && isObject(response.content) ? response.content : undefined
    return {
      method: (text(request.method) ?? 'GET').toUpperCase(),
      url,
      headers,
      hasCookies: cookies.length > 0 || headers.some((header) => header.name.toLowerCase() === 'cookie'),
      postData,
      resourceType: isObject(entry) ? text(entry._resourceType) : undefined,
      responseMimeType: content === undefined ? undefined : text(content.mimeType)
    }
  })
}

/** Reads a HAR file: a CutoverError (INIT_SOURCE) names the file when it is missing, too large or not a HAR. */
export function readHar (file: string): HarEntry[] {
  const name = basename(file)
  checkSourceFile('--har', file, maxHarBytes, 'a HAR file recorded from the service')
  let document: unknown
  try {
    document = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new CutoverError('INIT_SOURCE', `${name} is not a HAR file: not JSON (${error instanceof Error ? error.message : String(error)})`, { cause: error })
  }
  return harEntries(document, name)
}
