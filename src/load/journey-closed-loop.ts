import { setMaxListeners } from 'node:events'
import { performance } from 'node:perf_hooks'
import { Client } from 'undici'
import type { PlannedPhase } from '../plan/phases.js'
import type { PhaseContext } from './driver.js'
import type { StepSender } from './journey-source.js'
import { sendRequest } from './journey-step.js'

/**
 * Closed model for a mix with journeys: each of the phase's connections loops through the mix, running a
 * journey's steps in order (think times included) or a single request, and starts the next as soon as it ends.
 * autocannon cannot carry values from one response into the next request, so this loop uses undici directly.
 */
export async function runClosedJourneyLoop (phase: Extract<PlannedPhase, { kind: 'closed' }>, ctx: PhaseContext, window: [number, number]): Promise<void> {
  const { journeys, mix, signal, origin } = ctx
  if (journeys === undefined || signal.aborted) return
  const endMs = (ctx.dueMs ?? performance.now()) + (window[1] - window[0])
  const clients = Array.from({ length: phase.connections }, () => new Client(origin.origin, { pipelining: 1, keepAliveTimeout: 30_000 }))
  const stopped = new AbortController()
  // each connection's journey listens to it while thinking; as many listeners as connections, all let go
  setMaxListeners(0, stopped.signal)
  const stop = (): void => { stopped.abort() }
  signal.addEventListener('abort', stop, { once: true })
  const timer = setTimeout(stop, Math.max(0, endMs - performance.now()))
  const worker = async (client: Client): Promise<void> => {
    const send: StepSender = (request, readBody) => sendRequest(client, request, readBody, signal)
    const options = { endMs, signal: stopped.signal }
    while (!stopped.signal.aborted && performance.now() < endMs) {
      const journey = journeys.pick()
      if (journey >= 0) await journeys.run(journey, send, performance.now(), options)
      else await journeys.runRequest(mix.pick(), send, options)
    }
  }
  try {
    await Promise.all(clients.map(worker))
  } finally {
    clearTimeout(timer)
    signal.removeEventListener('abort', stop)
    await Promise.all(clients.map((client) => (signal.aborted ? client.destroy() : client.close()).catch(() => {})))
  }
}
