import { Transform, type TransformCallback } from 'node:stream'
import { redactText } from '../core/redact.js'

/** Longest line kept whole; longer ones are redacted in pieces. */
const maxLineBytes = 64 * 1024

/** A stream that passes service output through line by line with secrets (Authorization, cookies, tokens) redacted. */
export function redactingLog (): Transform {
  let pending = ''
  return new Transform({
    transform (chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      pending += chunk.toString('utf8')
      const end = pending.lastIndexOf('\n')
      if (end === -1 && pending.length < maxLineBytes) return callback()
      const cut = end === -1 ? pending.length : end + 1
      const complete = pending.slice(0, cut)
      pending = pending.slice(cut)
      callback(null, redactText(complete))
    },
    flush (callback: TransformCallback) {
      callback(null, pending === '' ? undefined : redactText(pending))
    }
  })
}
