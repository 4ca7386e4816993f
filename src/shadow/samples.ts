/**
 * Sample answers kept for the report: the request and the three answers, redacted (credential headers, token-like
 * query parameters, bearer tokens in bodies; SPEC §5) and shortened, so result.json stays small and safe to share.
 */

import type { ShadowSample } from '../core/result-types.js'
import { redactHeaders, redactText, redactUrl } from '../core/redact.js'
import type { ShadowAnswer } from './answer.js'
import type { ShadowRequest } from './sources.js'

/** Longest body kept per answer, in characters. */
export const maxSampleBodyChars = 2048
/** Most headers kept per answer. */
const maxSampleHeaders = 30

/** `text` cut to `limit` characters with a note of how much was left out. */
export function shorten (text: string, limit = maxSampleBodyChars): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… (${text.length - limit} more characters)`
}

function sampleAnswer (answer: ShadowAnswer): ShadowSample['old'] {
  const body = answer.error !== undefined ? `(no response: ${answer.error})` : shorten(redactText(answer.body)) + (answer.truncated ? ' (cut at the comparison limit)' : '')
  const headers = Object.fromEntries(Object.entries(answer.headers).slice(0, maxSampleHeaders))
  return { status: answer.status, body, headers: redactHeaders(headers) }
}

/** The redacted, shortened sample of one shadowed request. */
export function makeSample (request: ShadowRequest, old: ShadowAnswer, oldAgain: ShadowAnswer, candidate: ShadowAnswer): ShadowSample {
  return {
    request: { method: request.method, path: redactUrl(request.path) },
    old: sampleAnswer(old),
    old2: sampleAnswer(oldAgain),
    new: sampleAnswer(candidate)
  }
}
