/**
 * `cutover rollout`: rehearses the release. The proxy runs in rollout mode in front of old and new (started by cutover
 * as in every run), and the scenario's own traffic (its phases, request mix and journeys) is the callers: sticky
 * shares, mirroring, gates and fallback all happen as they would on live traffic, against local services, in CI.
 * The traffic ends with the phases, or as soon as the rollout has decided (fell back or complete): nothing is left to
 * rehearse after that.
 */
import { performance } from 'node:perf_hooks'
import { seededRandom } from '../core/random.js'
import { closeDrivers, createDrivers } from '../load/drivers.js'
import { JourneyRunner } from '../load/journey-runner.js'
import { RequestMix } from '../load/request-mix.js'
import { TargetRecorder } from '../metrics/recorder.js'
import { summarizeTarget } from '../metrics/target-summary.js'
import { describePhase, planPhases } from '../plan/phases.js'
import { parseStickiness, type Stickiness } from '../proxy/bucket.js'
import { usesHooks } from '../scenario/bind-hooks.js'
import type { LoadedScenario } from '../scenario/load.js'
import { proxyDefaults, runProxy, type ProxyRunOptions } from './run-proxy.js'
import type { RunOutcome } from './run-scenario.js'
import type { ShadowReport } from '../shadow/report-types.js'

/** Longest wait for the callers' last requests when the traffic ends. */
const drainMs = 5000

/** The rehearsal's traffic comes from one address: `ip` stickiness would put every caller on one side, so requests are placed by chance. */
export function rehearsalStickiness (configured: string | undefined): Stickiness {
  const stickiness = parseStickiness(configured ?? proxyDefaults.rollout.stickiness)
  return stickiness.kind === 'ip' ? { kind: 'none' } : stickiness
}

/** How long the rollout takes at the least (every step held, the last one judged), in ms. */
export function rolloutLengthMs (scenario: LoadedScenario): number {
  const rollout = scenario.config.proxy?.rollout
  const steps = rollout?.steps ?? proxyDefaults.rollout.steps
  const judged = steps.filter((share) => share < 1).length
  return judged * (rollout?.hold ?? proxyDefaults.rollout.holdMs)
}

/** Runs the rehearsal: the proxy in rollout mode, with the scenario's phases driven through it. */
export async function rehearseRollout (scenario: LoadedScenario, options: Omit<ProxyRunOptions, 'rehearsal' | 'durationMs'>): Promise<RunOutcome & { report: ShadowReport }> {
  const phases = planPhases(scenario.config.phases)
  const plannedMs = phases.reduce((sum, phase) => sum + phase.durationMs, 0)
  const neededMs = rolloutLengthMs(scenario)
  if (neededMs > plannedMs) {
    options.progress.message(`rollout: the phases last ${Math.round(plannedMs / 1000)} s, and holding every step takes at least ${Math.round(neededMs / 1000)} s: the rehearsal will end before the rollout does (lengthen the phases or shorten proxy.rollout.hold)`)
  }
  const model = phases.every((phase) => phase.kind === 'closed') ? 'closed' : 'open'
  let recorder: TargetRecorder | undefined
  let callersUrl: URL | undefined
  let endedAtMs = Date.now()
  const startedAtMs = Date.now()
  return await runProxy(scenario, {
    ...options,
    listen: options.listen ?? '127.0.0.1:0',
    rehearsal: {
      stickiness: rehearsalStickiness(scenario.config.proxy?.rollout?.stickiness),
      plannedMs,
      drive: async (url, context, signal) => {
        const callers = new TargetRecorder('callers', performance.now(), model)
        recorder = callers
        callersUrl = url
        const mix = new RequestMix(scenario.requests, scenario.data, seededRandom(context.plan.settings.seed + 2), options.env, {})
        if (scenario.hooksSource !== undefined) mix.hookScope = { target: 'callers', url: url.href, data: context.setupResult }
        const journeys = scenario.journeys.length === 0 && !usesHooks(scenario) ? undefined : JourneyRunner.create(scenario.journeys, mix, callers)
        const drivers = createDrivers()
        const ctx = { target: 'callers', origin: url, recorder: callers, mix, journeys, signal }
        try {
          for (const phase of phases) {
            if (signal.aborted) break
            options.progress.phaseStarted('callers', phase.name, `${describePhase(phase)} through the proxy`)
            callers.beginPhase(phase.name, phase.kind, performance.now())
            try {
              await drivers[phase.kind].runPhase(phase, ctx)
            } finally {
              callers.endPhase(performance.now())
            }
          }
        } finally {
          await closeDrivers(drivers, drainMs)
          endedAtMs = Date.now()
        }
      },
      callers: () => ({
        phases: phases.map((phase) => phase.name),
        callers: summarizeTarget(recorder ?? new TargetRecorder('callers', performance.now(), model), phases, callersUrl ?? new URL('http://127.0.0.1/'), [], startedAtMs, endedAtMs)
      })
    }
  })
}
