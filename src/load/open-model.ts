import { performance } from 'node:perf_hooks'
import { checkResponse, failureKind } from '../scenario/expectations.js'
import { arrivalSchedule } from '../plan/arrivals.js'
import type { PlannedPhase } from '../plan/phases.js'
import { firstArrivalOf, wholePlan } from '../plan/share.js'
import type { TargetRecorder } from '../metrics/recorder.js'
import type { LoadDriver, PhaseContext } from './driver.js'
import { ConnectionPool } from './connection-pool.js'
import { errorKind, runEndedCode } from './error-kind.js'
import type { StepSender } from './journey-source.js'
import { maxCheckedBodyBytes } from './response-body.js'
import { sendRequest } from './journey-step.js'
import type { RenderedRequest } from './request-mix.js'
import { fastPathFits, serialiseRequest } from './raw-http/fast-path.js'
import type { RawHandler } from './raw-http/raw-connection.js'
import { RawPool } from './raw-http/raw-pool.js'

/** Most arrivals sent in one turn of the event loop before responses get a chance to be read. */
const maxBatch = 512

/** Records an answer: latency from the intended send time, and a failure when the expectations say so. */
function recordAnswer (recorder: TargetRecorder, request: RenderedRequest, intendedMs: number, status: number, body: string | undefined, slice: number): void {
  const latencyMs = performance.now() - intendedMs
  recorder.response(latencyMs * 1000, status, failureKind(checkResponse(request.spec.expect, status, body, latencyMs), status), slice)
}

/**
 * Handles one request with undici's low-level dispatch protocol (cheaper than `request`).
 * Latency runs from the intended send time, so a stalled service cannot hide (coordinated omission).
 */
class ResponseHandler {
  private status = 0
  private chunks: Buffer[] | undefined
  private bytes = 0
  private done = false
  /** The slice the request was sent in. */
  private readonly slice: number

  constructor (
    private readonly recorder: TargetRecorder,
    private readonly request: RenderedRequest,
    private readonly intendedMs: number,
    private readonly pool: ConnectionPool,
    private readonly connection: number,
    /** Sends the arrivals that came due while the loop slept (undici lets a handler dispatch, as its redirects do). */
    private readonly answered: () => void
  ) {
    if (request.spec.expect.needsBody) this.chunks = []
    this.slice = recorder.slice
  }

  onConnect (): void {}

  onHeaders (statusCode: number): boolean {
    this.status = statusCode
    return true
  }

  onData (chunk: Buffer): boolean {
    if (this.chunks !== undefined && this.bytes < maxCheckedBodyBytes) {
      this.chunks.push(chunk)
      this.bytes += chunk.length
    }
    return true
  }

  onComplete (): void {
    if (this.done) return
    this.done = true
    this.recorder.inFlight--
    this.pool.release(this.connection)
    const body = this.chunks === undefined ? undefined : Buffer.concat(this.chunks).toString('utf8')
    recordAnswer(this.recorder, this.request, this.intendedMs, this.status, body, this.slice)
    this.answered()
  }

  onError (error: Error): void {
    if (this.done) return
    this.done = true
    this.recorder.inFlight--
    this.pool.release(this.connection)
    const kind = errorKind(error)
    this.recorder.error(kind, kind === 'timeout' ? (performance.now() - this.intendedMs) * 1000 : undefined, this.slice)
  }
}

/** The answer to a request sent on the fast path: the same figures as ResponseHandler, without a body. */
function rawHandler (recorder: TargetRecorder, request: RenderedRequest, intendedMs: number, answered: () => void): RawHandler {
  const slice = recorder.slice
  return {
    done: (status) => {
      recorder.inFlight--
      recordAnswer(recorder, request, intendedMs, status, undefined, slice)
      answered()
    },
    failed: (error) => {
      recorder.inFlight--
      const kind = errorKind(error)
      recorder.error(kind, kind === 'timeout' ? (performance.now() - intendedMs) * 1000 : undefined, slice)
    }
  }
}

/**
 * Open model: arrivals on a fixed schedule, whatever the service does. Requests that never change go out as bytes
 * serialised once on raw keep-alive sockets (the fast path); the rest with undici's dispatch.
 */
export class OpenModelDriver implements LoadDriver {
  private pool: ConnectionPool | undefined
  private rawPool: RawPool | undefined
  private readonly rawBytes = new WeakMap<RenderedRequest, Buffer>()

  private poolFor (origin: URL, connections: number): ConnectionPool {
    if (this.pool === undefined) this.pool = new ConnectionPool(origin.origin, connections)
    return this.pool
  }

  /** Sends the arrivals of the phase (or of its slice `window`) on schedule; resolves at the window's end time. */
  runPhase (phase: PlannedPhase, ctx: PhaseContext, window: [number, number] = [0, phase.durationMs]): Promise<void> {
    if (phase.kind !== 'open') return Promise.reject(new Error('the open-model driver runs open phases only'))
    const schedule = arrivalSchedule(phase.fromRate, phase.toRate, phase.durationMs)
    const pool = this.poolFor(ctx.origin, phase.maxInFlight)
    const { recorder, mix, signal, journeys } = ctx
    const [fromMs, toMs] = window
    // plan time fromMs happens now, or at the shared clock's due time
    const startMs = (ctx.dueMs ?? performance.now()) - fromMs
    const endMs = startMs + toMs
    // a share sends every count-th arrival of the whole schedule, from its own first one
    const share = ctx.share ?? wholePlan
    const stride = share.count
    let next = firstArrivalOf(schedule.countBeforeMs(fromMs), share)
    const last = schedule.countBeforeMs(toMs)
    // journey steps share the pool; the promise-based request is fine at journey rates
    const send: StepSender = (request, readBody) => {
      const connection = pool.acquire()
      return sendRequest(pool.client(connection), request, readBody).finally(() => pool.release(connection))
    }
    const journeyEnded = (): void => { recorder.inFlight-- }
    const iteration = { endMs, signal, countSends: true }
    const raw = fastPathFits(mix, journeys?.hasJourneys === true, ctx.origin) ? this.rawPoolFor(ctx.origin, phase.maxInFlight) : undefined
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined
      const finish = (): void => {
        if (timer !== undefined) clearTimeout(timer)
        signal.removeEventListener('abort', finish)
        resolve()
      }
      signal.addEventListener('abort', finish, { once: true })
      // an answer woke the loop: what has come due since goes out now, not at the timer's next millisecond (sooner,
      // and the loop often needs no wake-up of its own for it); after the phase (aborted, or every arrival sent) nothing
      const answered = (): void => {
        if (signal.aborted || next >= last || performance.now() < startMs + schedule.timeOfMs(next)) return
        if (timer !== undefined) clearTimeout(timer)
        tick()
      }
      const tick = (): void => {
        timer = undefined
        if (signal.aborted) return
        const now = performance.now()
        let batch = 0
        while (next < last && batch < maxBatch) {
          const intendedMs = startMs + schedule.timeOfMs(next)
          if (intendedMs > now) break
          next += stride
          batch++
          if (recorder.inFlight >= phase.maxInFlight) {
            recorder.dropped()
            continue
          }
          if (journeys !== undefined) {
            const journey = journeys.pick()
            if (journey >= 0) {
              recorder.inFlight++
              void journeys.run(journey, send, intendedMs, iteration).then(journeyEnded, journeyEnded)
              continue
            }
          }
          const request = mix.next()
          recorder.inFlight++
          recorder.sent((now - intendedMs) * 1000)
          if (request.spec.hooks !== undefined && journeys !== undefined) {
            // scenario code may wait (a token fetched anew): this request goes on the promise path with its hooks
            void journeys.runRequest(request.spec, send, iteration, intendedMs).then(journeyEnded, journeyEnded)
            continue
          }
          if (raw !== undefined) {
            raw.send(this.bytesOf(request, ctx.origin), request.method === 'HEAD', request.spec.timeoutMs, rawHandler(recorder, request, intendedMs, answered))
            continue
          }
          const connection = pool.acquire()
          pool.client(connection).dispatch({
            path: request.path,
            method: request.method as 'GET',
            headers: request.headers,
            body: request.body,
            headersTimeout: request.spec.timeoutMs,
            bodyTimeout: request.spec.timeoutMs
          }, new ResponseHandler(recorder, request, intendedMs, pool, connection, answered) as never)
        }
        const after = performance.now()
        if (next >= last) {
          timer = setTimeout(finish, Math.max(0, endMs - after))
        } else if (batch >= maxBatch) {
          timer = setTimeout(tick, 0)
        } else {
          timer = setTimeout(tick, Math.max(0, startMs + schedule.timeOfMs(next) - after))
        }
      }
      tick()
    })
  }

  private rawPoolFor (origin: URL, connections: number): RawPool {
    this.rawPool ??= new RawPool(origin.hostname.replace(/^\[|\]$/g, ''), Number(origin.port === '' ? 80 : origin.port), connections)
    return this.rawPool
  }

  private bytesOf (request: RenderedRequest, origin: URL): Buffer {
    let bytes = this.rawBytes.get(request)
    if (bytes === undefined) {
      bytes = serialiseRequest(request, origin)
      this.rawBytes.set(request, bytes)
    }
    return bytes
  }

  /** Waits for outstanding requests up to `graceMs`, then destroys the connections. */
  async close (graceMs: number): Promise<void> {
    const raw = this.rawPool
    this.rawPool = undefined
    if (raw !== undefined) {
      let rawTimer: NodeJS.Timeout | undefined
      const rawDeadline = new Promise<'timeout'>((resolve) => { rawTimer = setTimeout(() => resolve('timeout'), graceMs) })
      const drained = await Promise.race([raw.whenDrained().then(() => 'drained' as const), rawDeadline])
      if (rawTimer !== undefined) clearTimeout(rawTimer)
      raw.destroy(Object.assign(new Error('cut off at the end of the run'), { code: drained === 'timeout' ? runEndedCode : 'UND_ERR_CLOSED' }))
    }
    const pool = this.pool
    if (pool === undefined) return
    this.pool = undefined
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), graceMs) })
    const outcome = await Promise.race([pool.close().then(() => 'closed' as const), deadline])
    if (timer !== undefined) clearTimeout(timer)
    if (outcome === 'timeout') await pool.destroy(Object.assign(new Error('cut off at the end of the run'), { code: runEndedCode })).catch(() => {})
  }
}
