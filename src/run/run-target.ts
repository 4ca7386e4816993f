import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { CutoverError } from '../core/errors.js'
import type { TargetEvent, TargetSummary } from '../core/result-types.js'
import { ClosedModelDriver } from '../load/closed-model.js'
import type { LoadDriver } from '../load/driver.js'
import { OpenModelDriver } from '../load/open-model.js'
import { RequestMix } from '../load/request-mix.js'
import { TargetRecorder } from '../metrics/recorder.js'
import type { PlannedPhase } from '../plan/phases.js'
import { totalDurationMs } from '../plan/phases.js'
import { summarizeTarget } from '../report/target-summary.js'
import { timelineLine, type TimelineWriter } from '../report/timeline.js'
import type { LoadedScenario } from '../scenario/load.js'
import { isListening } from '../targets/readiness.js'
import { startService, type StartedService } from '../targets/service.js'
import type { ProgressSink } from './progress.js'

/** Everything needed to run one target. */
export interface TargetRunInput {
  name: string
  scenario: LoadedScenario
  phases: PlannedPhase[]
  runDir: string
  intervalMs: number
  timeline: TimelineWriter
  progress: ProgressSink
  random: () => number
  env: Record<string, string | undefined>
  /** Aborted on Ctrl-C. */
  signal: AbortSignal
}

/** How one target's run ended. */
export interface TargetRunOutcome {
  summary: TargetSummary | undefined
  /** Set when the target could not be started, was unreachable or died: exit code 3. */
  failure: CutoverError | undefined
}

/** Longest wait for outstanding requests after the last phase before they are cut off (the hard deadline). */
const drainLimitMs = 10_000

function describe (phase: PlannedPhase): string {
  if (phase.kind === 'closed') return `${phase.connections} connections`
  return phase.fromRate === phase.toRate ? `${phase.fromRate} req/s` : `${phase.fromRate}→${phase.toRate} req/s`
}

/** Starts the target if the scenario says so, drives every phase at it, samples intervals into the timeline, and stops it. */
export async function runTarget (input: TargetRunInput): Promise<TargetRunOutcome> {
  const { name, scenario, phases, progress, timeline } = input
  const config = scenario.config.targets[name]
  const resolved = scenario.targets[name]
  if (config === undefined || resolved === undefined) throw new Error(`unknown target ${name}`)
  const events: TargetEvent[] = []
  let service: StartedService | undefined
  if (config.start !== undefined) {
    progress.message(`starting ${name}: ${config.start.command}`)
    service = await startService({
      target: name,
      command: config.start.command,
      env: resolved.env,
      cwd: join(scenario.dir, config.start.cwd ?? '.'),
      url: resolved.url,
      readyPath: config.start.ready,
      readyTimeoutMs: config.start.readyTimeout ?? 30_000,
      stopGraceMs: config.start.stopGrace ?? 5000,
      logFile: join(input.runDir, 'logs', `${name}.log`)
    })
  } else if (!(await isListening(resolved.url))) {
    return {
      summary: undefined,
      failure: new CutoverError('TARGET_UNREACHABLE', `target "${name}": nothing answers at ${resolved.url.host}`, { hint: 'start the service first, or give the target a start: command' })
    }
  }

  const loadController = new AbortController()
  const abortLoad = (): void => loadController.abort()
  input.signal.addEventListener('abort', abortLoad, { once: true })
  const startedAtEpoch = Date.now()
  const loadStartMs = performance.now()
  const epochOffsetMs = startedAtEpoch - loadStartMs
  let failure: CutoverError | undefined
  service?.onUnexpectedExit((exit) => {
    const detail = exit.signal !== null ? `killed by ${exit.signal}` : `exited with code ${String(exit.code)}`
    events.push({ t: Math.round(performance.now() - loadStartMs) / 1000, type: 'exited', detail })
    failure = new CutoverError('TARGET_DIED', `target "${name}" ${detail} during the run`, { hint: `see its output in ${join(input.runDir, 'logs', `${name}.log`)}` })
    progress.message(`target ${name} ${detail}; its load stops, what was measured is kept`)
    loadController.abort()
  })

  const recorder = new TargetRecorder(name, loadStartMs, phases.some((p) => p.kind === 'closed') && phases.every((p) => p.kind === 'closed') ? 'closed' : 'open')
  const mix = new RequestMix(scenario.requests, scenario.data, input.random, input.env, config.headers ?? {})
  const drivers: Record<PlannedPhase['kind'], LoadDriver> = { open: new OpenModelDriver(), closed: new ClosedModelDriver() }
  const totalMs = totalDurationMs(phases)
  progress.targetStarted(name, totalMs)
  const flush = (): void => {
    const now = performance.now()
    const snapshot = recorder.rotate(now)
    timeline.append(timelineLine(name, snapshot, loadStartMs, epochOffsetMs))
    progress.interval(name, snapshot, now - loadStartMs, totalMs)
  }
  try {
    for (const phase of phases) {
      if (loadController.signal.aborted) break
      recorder.beginPhase(phase.name, phase.kind, performance.now())
      progress.phaseStarted(name, phase.name, describe(phase))
      const ticker = setInterval(flush, input.intervalMs)
      try {
        await drivers[phase.kind].runPhase(phase, { target: name, origin: resolved.url, recorder, mix, signal: loadController.signal })
      } finally {
        clearInterval(ticker)
        flush()
      }
    }
    const maxTimeoutMs = Math.max(...scenario.requests.map((r) => r.timeoutMs), 0)
    await drivers.open.close(loadController.signal.aborted ? 0 : Math.min(maxTimeoutMs, drainLimitMs))
    await drivers.closed.close(0)
    // responses that arrived after the last phase ended
    if (recorder.hasPending) flush()
  } finally {
    input.signal.removeEventListener('abort', abortLoad)
    if (service !== undefined) {
      const exit = await service.stop()
      if (failure === undefined && exit !== undefined && exit.code !== 0 && exit.code !== null && exit.signal === null && !input.signal.aborted) {
        // exiting non-zero on SIGTERM is common; only note it
        events.push({ t: Math.round(performance.now() - loadStartMs) / 1000, type: 'stopped', detail: `exited with code ${exit.code} after SIGTERM` })
      }
    }
  }
  const summary = summarizeTarget(recorder, phases, resolved.url, events, startedAtEpoch, Date.now())
  return { summary, failure }
}
