/** Where `--metrics` listens: `host:port`, `[ipv6]:port`, or a port alone on the loopback address. */
import { isIP } from 'node:net'
import { CutoverError } from '../../core/errors.js'

/** A host and port to listen on. */
export interface MetricsAddress {
  host: string
  port: number
}

/** Where a port given alone listens: loopback, so nothing is exposed beyond this machine unless asked for. */
export const defaultMetricsHost = '127.0.0.1'

const loopbackNames = new Set(['localhost', 'ip6-localhost', 'ip6-loopback'])

/** True for 127.0.0.0/8, ::1 and the names of the loopback interface. */
export function isLoopbackHost (host: string): boolean {
  const lower = host.toLowerCase()
  if (loopbackNames.has(lower)) return true
  if (isIP(lower) === 4) return lower.startsWith('127.')
  return lower === '::1' || lower === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(lower)
}

function usage (text: string): CutoverError {
  return new CutoverError('USAGE', `--metrics expects host:port such as 127.0.0.1:9464, or a port, got "${text}"`, {
    hint: 'a port alone listens on 127.0.0.1; write the host to listen elsewhere (0.0.0.0:9464 listens on every interface)'
  })
}

/** Reads `--metrics`; a bad value is a usage error (exit 2). */
export function parseMetricsAddress (text: string): MetricsAddress {
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(text.trim())
  const portText = match === null ? text.trim() : match[3] ?? ''
  if (!/^\d{1,5}$/.test(portText)) throw usage(text)
  const port = Number(portText)
  if (port > 65535) throw usage(text)
  if (match === null) return { host: defaultMetricsHost, port }
  const bracketed = match[1]
  if (bracketed !== undefined && isIP(bracketed) !== 6) throw usage(text)
  const host = bracketed ?? match[2] ?? defaultMetricsHost
  return { host, port }
}

/** `host:port` as a URL authority (IPv6 in brackets). */
export function formatMetricsAddress (address: MetricsAddress): string {
  return `${isIP(address.host) === 6 ? `[${address.host}]` : address.host}:${address.port}`
}
