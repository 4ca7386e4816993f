/**
 * The operators' API under `/_cutover/`: `GET /_cutover/status` (JSON, open to read) and `POST /_cutover/fallback`
 * or `/_cutover/promote`, which need `Authorization: Bearer <CUTOVER_CONTROL_TOKEN>`: refused (403) when no token is
 * set, refused (401) when the token is missing or wrong, compared in constant time.
 */
import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'

/** What an action did: applied, or refused with the status to answer and why. */
export interface ActionOutcome {
  status: number
  message: string
}

/** What the control endpoints read and do. */
export interface ControlApi {
  /** CUTOVER_CONTROL_TOKEN; undefined: the actions are refused. */
  token: string | undefined
  status: () => unknown
  fallback: () => ActionOutcome
  promote: () => ActionOutcome
}

function answer (res: ServerResponse, status: number, value: unknown): void {
  const text = `${JSON.stringify(value, null, 2)}\n`
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' })
  res.end(text)
}

/** True when the request carries `Bearer <token>`. */
function authorised (req: IncomingMessage, token: string): boolean {
  const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? ''
  const expected = Buffer.from(token)
  const actual = Buffer.from(given)
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

/** Answers a request under `/_cutover/`. */
export async function handleControl (req: IncomingMessage, res: ServerResponse, api: ControlApi): Promise<void> {
  // the body of a control request is never read: drain it
  req.resume()
  const path = (req.url ?? '').split('?')[0]
  if (path === '/_cutover/status' && (req.method === 'GET' || req.method === 'HEAD')) {
    answer(res, 200, api.status())
    return
  }
  const action = path === '/_cutover/fallback' ? api.fallback : path === '/_cutover/promote' ? api.promote : undefined
  if (action === undefined) {
    answer(res, 404, { error: `no such control endpoint: ${req.method ?? ''} ${path ?? ''}; there are GET /_cutover/status, POST /_cutover/fallback and POST /_cutover/promote` })
    return
  }
  if (req.method !== 'POST') {
    answer(res, 405, { error: `${path ?? ''} takes POST` })
    return
  }
  if (api.token === undefined || api.token === '') {
    answer(res, 403, { error: 'control actions are off: start cutover proxy with CUTOVER_CONTROL_TOKEN set, and send Authorization: Bearer <token>' })
    return
  }
  if (!authorised(req, api.token)) {
    answer(res, 401, { error: 'missing or wrong token: send Authorization: Bearer <CUTOVER_CONTROL_TOKEN>' })
    return
  }
  const outcome = action()
  answer(res, outcome.status, { message: outcome.message })
}
