import { performance } from 'node:perf_hooks'
import autocannon from 'autocannon'
import { waitFor } from '../core/wait.js'
import { checkResponse, failureKind } from '../scenario/expectations.js'
import type { CompiledRequest } from '../scenario/compiled.js'
import type { PlannedPhase } from '../plan/phases.js'
import type { LoadDriver, PhaseContext } from './driver.js'
import { errorKind } from './error-kind.js'
import { runClosedJourneyLoop } from './journey-closed-loop.js'
import type { RequestMix } from './request-mix.js'

/** Entries in the cycle of requests each connection walks through. */
const deckSize = 100

/** An autocannon request entry that remembers which scenario request it is. */
type DeckEntry = autocannon.Request & { cutoverIndex: number }

/** Per-connection state autocannon hands back with each response. */
interface ConnectionState {
  requestIterator?: { currentRequest?: { cutoverIndex?: number }, context?: { failure?: string | undefined } }
}

/**
 * The mix as a shuffled deck of 100 entries in proportion to the weights. Requests without templates are
 * built once by autocannon; only templated ones are rendered per request (rebuilding costs autocannon dearly).
 */
export function buildDeck (mix: RequestMix): { entries: DeckEntry[], specs: CompiledRequest[] } {
  const total = mix.requests.reduce((sum, request) => sum + request.weight, 0)
  const specs: CompiledRequest[] = []
  for (const request of mix.requests) {
    if (request.weight <= 0) continue
    const copies = Math.max(1, Math.round((request.weight / total) * deckSize))
    for (let i = 0; i < copies; i++) specs.push(request)
  }
  for (let i = specs.length - 1; i > 0; i--) {
    const j = Math.floor(mix.random() * (i + 1))
    const swap = specs[i] as CompiledRequest
    specs[i] = specs[j] as CompiledRequest
    specs[j] = swap
  }
  const entries = specs.map((spec, index): DeckEntry => {
    const onResponse = spec.expect.needsBody
      ? (status: number, body: string, context: object) => { (context as { failure?: string | undefined }).failure = checkResponse(spec.expect, status, body, 0) }
      : undefined
    const fixed = mix.isConstant(spec)
    if (fixed) {
      const rendered = mix.render(spec)
      return { method: rendered.method as 'GET', path: rendered.path, headers: rendered.headers ?? {}, body: rendered.body, onResponse, cutoverIndex: index }
    }
    return {
      setupRequest: (request) => {
        const rendered = mix.render(spec)
        return { ...request, method: rendered.method as 'GET', path: rendered.path, headers: rendered.headers ?? {}, body: rendered.body }
      },
      onResponse,
      cutoverIndex: index
    }
  })
  return { entries, specs }
}

/** How long the window still runs: its length, or up to its end on the shared clock when it has a due time. */
export function windowLeftMs (window: [number, number], dueMs: number | undefined): number {
  const lengthMs = window[1] - window[0]
  return dueMs === undefined ? lengthMs : Math.max(0, dueMs + lengthMs - performance.now())
}

/** Closed model: a fixed number of connections, each sending as soon as its last answer came; driven by autocannon. */
export class ClosedModelDriver implements LoadDriver {
  /** Runs autocannon for the phase's duration with the scenario's weighted, templated mix. */
  runPhase (phase: PlannedPhase, ctx: PhaseContext, window: [number, number] = [0, phase.durationMs]): Promise<void> {
    if (phase.kind !== 'closed') return Promise.reject(new Error('the closed-model driver runs closed phases only'))
    const { recorder, mix, signal } = ctx
    if (signal.aborted) return Promise.resolve()
    const durationMs = windowLeftMs(window, ctx.dueMs)
    // a share of fewer connections than shares: this one has none, and waits out the window
    if (phase.connections <= 0) return waitFor(durationMs, signal)
    // autocannon cannot carry captures between requests: a mix with journeys runs on its own undici loop
    if (ctx.journeys !== undefined) return runClosedJourneyLoop(phase, ctx, window)
    const timeoutSeconds = Math.max(...mix.requests.map((r) => r.timeoutMs), 1000) / 1000
    const { entries, specs } = buildDeck(mix)
    return new Promise((resolve) => {
      const instance = autocannon({
        url: ctx.origin.origin,
        connections: phase.connections,
        duration: durationMs / 1000,
        timeout: timeoutSeconds,
        pipelining: 1,
        requests: entries
      }, () => {
        signal.removeEventListener('abort', stop)
        resolve()
      })
      const stop = (): void => { instance.stop() }
      signal.addEventListener('abort', stop, { once: true })
      instance.on('response', (client, statusCode, _bytes, responseTimeMs) => {
        const iterator = (client as unknown as ConnectionState).requestIterator
        const spec = specs[iterator?.currentRequest?.cutoverIndex ?? -1]
        let failure: string | undefined
        if (spec !== undefined) {
          // body expectations were checked in onResponse; the latency ceiling needs autocannon's timing
          const maxLatencyMs = spec.expect.maxLatencyMs
          failure = spec.expect.needsBody
            ? iterator?.context?.failure ?? (maxLatencyMs !== undefined && responseTimeMs > maxLatencyMs ? 'latency' : undefined)
            : checkResponse(spec.expect, statusCode, undefined, responseTimeMs)
        }
        recorder.response(responseTimeMs * 1000, statusCode, failureKind(failure, statusCode))
      })
      instance.on('reqError', (error) => {
        const kind = errorKind(error)
        recorder.error(kind, kind === 'timeout' ? timeoutSeconds * 1e6 : undefined)
      })
    })
  }

  /** autocannon closes its connections when a phase ends. */
  async close (): Promise<void> {}
}
