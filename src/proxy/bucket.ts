/**
 * Feature-flag bucketing (as Unleash and LaunchDarkly do): a caller's stickiness key is hashed with a salt into
 * [0, 1); the caller goes to new while its bucket is below the rollout's share. Raising the share only adds callers:
 * a caller who saw new keeps seeing it. A request without the key gets a bucket of its own (random).
 */
import { createHash } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/**
 * Where the key comes from: a header, a cookie, or the caller's address; `none` places every request by chance (the
 * rehearsal, whose traffic all comes from one address).
 */
export type Stickiness = { kind: 'header', name: string } | { kind: 'cookie', name: string } | { kind: 'ip' } | { kind: 'none' }

/** Reads `header:x-user-id`, `cookie:session` or `ip`. */
export function parseStickiness (text: string): Stickiness {
  if (text === 'ip') return { kind: 'ip' }
  const at = text.indexOf(':')
  const kind = text.slice(0, at)
  const name = text.slice(at + 1)
  return kind === 'cookie' ? { kind: 'cookie', name } : { kind: 'header', name: name.toLowerCase() }
}

/** The caller's key, or undefined when the request does not carry it. */
export function stickinessKey (req: Pick<IncomingMessage, 'headers' | 'socket'>, stickiness: Stickiness): string | undefined {
  if (stickiness.kind === 'none') return undefined
  if (stickiness.kind === 'ip') return req.socket.remoteAddress
  if (stickiness.kind === 'header') {
    const value = req.headers[stickiness.name]
    const text = Array.isArray(value) ? value[0] : value
    return text === undefined || text === '' ? undefined : text
  }
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=')
    if (at > 0 && part.slice(0, at).trim() === stickiness.name) return decodeURIComponent(part.slice(at + 1).trim())
  }
  return undefined
}

/** The key's bucket in [0, 1): the first 48 bits of SHA-256(salt:key). */
export function bucketOf (salt: string, key: string): number {
  return createHash('sha256').update(`${salt}:${key}`).digest().readUIntBE(0, 6) / 2 ** 48
}
