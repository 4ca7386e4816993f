/**
 * A load worker thread (`--workers`): loads the scenario as the main thread did, and runs its share of each segment
 * the main thread hands it with the same drivers a single thread uses; what it records goes back as events.
 */
import { setMaxListeners } from 'node:events'
import { performance } from 'node:perf_hooks'
import { parentPort, workerData } from 'node:worker_threads'
import { seededRandom } from '../../core/random.js'
import { planPhases } from '../../plan/phases.js'
import { phaseShare, shareSeed } from '../../plan/share.js'
import { reopenScenario } from '../../scenario/open-scenario.js'
import { usesHooks } from '../../scenario/bind-hooks.js'
import type { PhaseContext } from '../driver.js'
import { closeDrivers, createDrivers, type PhaseDrivers } from '../drivers.js'
import { JourneyRunner } from '../journey-runner.js'
import { RequestMix } from '../request-mix.js'
import type { EventBatch, FromWorker, ToWorker, WorkerInit } from './protocol.js'
import { EventBuffer, ForwardingJourneyRecorder, ForwardingRecorder } from './recorder-events.js'

interface WorkerTarget {
  name: string
  recorder: ForwardingRecorder
  events: EventBuffer
  context: PhaseContext
  drivers: PhaseDrivers
  stopped: AbortController
}

const init = workerData as WorkerInit
const port = parentPort
if (port === null) throw new Error('load-worker runs as a worker thread')

// a scenario in code and a hooks module are imported again here: functions do not pass between threads
const scenario = await reopenScenario(init.scenario, { env: init.env, overrides: init.overrides })
const hooked = usesHooks(scenario)
const phases = planPhases(scenario.config.phases)
const random = seededRandom(shareSeed(init.seed, init.share))
const targets = new Map<string, WorkerTarget>(init.targets.map((name) => {
  const events = new EventBuffer()
  const recorder = new ForwardingRecorder(name, performance.now(), events)
  const mix = new RequestMix(scenario.requests, scenario.data, random, init.env, scenario.config.targets[name]?.headers ?? {}, init.share)
  const origin = scenario.targets[name]?.url
  if (origin === undefined) throw new Error(`unknown target ${name}`)
  if (scenario.hooksSource !== undefined) mix.hookScope = { target: name, url: origin.href, data: init.setupData }
  const journeys = scenario.journeys.length === 0 && !hooked
    ? undefined
    : new JourneyRunner(scenario.journeys, mix, recorder, new ForwardingJourneyRecorder(scenario.journeys.map((journey) => ({ name: journey.name, steps: journey.requestSteps.map((step) => step.name) })), events))
  const stopped = new AbortController()
  // every journey waiting on a think time listens for the end of the load
  setMaxListeners(0, stopped.signal)
  const context: PhaseContext = { target: name, origin, recorder, mix, journeys, signal: stopped.signal, share: init.share }
  return [name, { name, recorder, events, context, drivers: createDrivers(), stopped }]
}))

/** Every target's events since the last batch; the buffers start afresh. */
function batches (): EventBatch[] {
  return [...targets.values()].map((target) => ({ target: target.name, events: target.events.take(), inFlight: target.recorder.inFlight }))
}

function reply (id: number): void {
  const message = { type: 'reply', id, batches: batches() } satisfies FromWorker
  // the event numbers move to the main thread without a copy
  port?.postMessage(message, message.batches.map((batch) => batch.events.values.buffer as ArrayBuffer))
}

async function runSegment (message: Extract<ToWorker, { type: 'segment' }>): Promise<void> {
  const target = targets.get(message.target)
  const phase = phases[message.phaseIndex]
  if (target === undefined || phase === undefined) throw new Error(`no target ${message.target} or phase ${message.phaseIndex}`)
  // the main thread's clock and this thread's differ in origin: the due time travels as epoch milliseconds
  const dueMs = message.dueEpochMs - performance.timeOrigin
  target.recorder.beginPhase(phase.name, phase.kind, performance.now())
  try {
    await target.drivers[phase.kind].runPhase(phaseShare(phase, init.share), { ...target.context, dueMs }, message.window)
  } finally {
    target.recorder.endPhase(performance.now())
  }
}

port.on('message', (message: ToWorker) => {
  const work = message.type === 'segment'
    ? runSegment(message)
    : message.type === 'close'
      ? Promise.all([...targets.values()].map((target) => closeDrivers(target.drivers, target.stopped.signal.aborted ? 0 : message.graceMs))).then(() => {})
      : Promise.resolve()
  if (message.type === 'abort') {
    for (const target of targets.values()) if (message.target === undefined || message.target === target.name) target.stopped.abort()
    return
  }
  work.then(() => { reply(message.id) }, (error: unknown) => {
    port.postMessage({ type: 'failed', message: error instanceof Error ? error.stack ?? error.message : String(error) } satisfies FromWorker)
  })
})
reply(0)
