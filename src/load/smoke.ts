import { performance } from 'node:perf_hooks'
import { Client } from 'undici'
import type { CompiledRequest } from '../scenario/compiled.js'
import type { PhaseContext } from './driver.js'
import { JourneyRunner } from './journey-runner.js'
import type { StepReport, StepSender } from './journey-source.js'
import { sendRequest } from './journey-step.js'

/**
 * `cutover smoke` against one target: every request, then every journey (`journeyCount` of them), `iterations` times,
 * one at a time on one connection, no load. Each step is reported to `onStep` and recorded like any request.
 */
export async function runSmokeSteps (ctx: PhaseContext, requests: readonly CompiledRequest[], journeyCount: number, iterations: number, onStep: (report: StepReport) => void): Promise<void> {
  const journeys = ctx.journeys ?? JourneyRunner.create([], ctx.mix, ctx.recorder)
  const client = new Client(ctx.origin.origin, { pipelining: 1 })
  const { signal } = ctx
  const send: StepSender = (request, readBody) => sendRequest(client, request, readBody, signal)
  try {
    for (let i = 0; i < iterations && !signal.aborted; i++) {
      for (const request of requests) {
        if (signal.aborted) break
        await journeys.runRequest(request, send, { onStep })
      }
      for (let j = 0; j < journeyCount && !signal.aborted; j++) {
        await journeys.run(j, send, performance.now(), { signal, onStep })
      }
    }
  } finally {
    await client.close().catch(() => {})
  }
}
