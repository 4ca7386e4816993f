/**
 * `cutover shadow`: starts the targets (through RunContext, as `cutover run` does), sends each request concurrently
 * to old twice (or to old and old2) and to new once, in a shuffled order, compares the answers, and writes result.json
 * with the `shadow` block and one check per endpoint.
 */

import { performance } from 'node:perf_hooks'
import { Agent } from 'undici'
import { analyzeRun } from '../analysis/analyze-run.js'
import { seededRandom } from '../core/random.js'
import type { TargetRecorder } from '../metrics/recorder.js'
import { defaultMaxInFlight as plannedMaxInFlight, type PlannedPhase } from '../plan/phases.js'
import { RunContext, type RunContextOptions } from './run-context.js'
import type { RunOutcome } from './run-scenario.js'
import type { TargetSession } from './target-session.js'
import { checkResponse, failureKind } from '../scenario/expectations.js'
import type { ShadowAnswer } from '../shadow/answer.js'
import { ShadowCollector } from '../shadow/collector.js'
import { compareAnswers } from '../shadow/compare.js'
import { normalizeAnswer } from '../shadow/normalize.js'
import { pace, defaultMaxInFlight } from '../shadow/pacer.js'
import { plannedDurationMs } from '../shadow/plan.js'
import { requestSource, type PreparedShadow } from '../shadow/prepare.js'
import type { ShadowReport } from '../shadow/report-types.js'
import { maySend } from '../shadow/safety.js'
import { makeSample } from '../shadow/samples.js'
import type { ShadowRequest } from '../shadow/sources.js'
import { sendToTarget } from '../shadow/send.js'
import { hookedRequest } from '../shadow/hooked-request.js'
import { summarizeShadow } from '../shadow/summarize.js'

/** Options of a shadow run. */
export interface ShadowRunOptions extends Omit<RunContextOptions, 'command' | 'only'> {
  /** Most shadowed requests outstanding at once (default 256). */
  maxInFlight?: number
}

/** What a shadow run produced. */
export interface ShadowOutcome extends RunOutcome {
  report: ShadowReport
}

/** One service a shadowed request goes to. */
interface Arm {
  session: TargetSession
  url: URL
  headers: Record<string, string>
}

/** Requests a source may hand out in a row that must not be sent before the run treats it as dry. */
const maxSkippedInARow = 1000

/** Longest wait for outstanding requests once sending stops. */
const maxDrainMs = 30_000

function shuffledOrder (random: () => number): [number, number, number] {
  const order: [number, number, number] = [0, 1, 2]
  for (let i = 2; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const swap = order[i] as number
    order[i] = order[j] as number
    order[j] = swap
  }
  return order
}

function recordAnswer (recorder: TargetRecorder, request: ShadowRequest, answer: ShadowAnswer): void {
  if (answer.error !== undefined) {
    recorder.error(answer.error, answer.error === 'timeout' ? answer.latencyMs * 1000 : undefined)
    return
  }
  let failure: string | undefined
  if (request.spec !== undefined) {
    failure = failureKind(checkResponse(request.spec.expect, answer.status, answer.body, answer.latencyMs), answer.status)
  } else if (answer.status >= 400) {
    failure = `http ${answer.status}`
  }
  recorder.response(answer.latencyMs * 1000, answer.status, failure)
}

/** Runs a prepared shadow run and writes its run directory. */
export async function runShadow (prepared: PreparedShadow, options: ShadowRunOptions): Promise<ShadowOutcome> {
  const { scenario, arms, plan, rules } = prepared
  const names = [arms.old, arms.new, ...(arms.old2 === undefined ? [] : [arms.old2])]
  const phases: PlannedPhase[] = plan.phases.map((phase) => ({ kind: 'open', name: phase.name, durationMs: phase.durationMs, fromRate: phase.fromRate, toRate: phase.toRate, maxInFlight: plannedMaxInFlight }))
  const context = new RunContext(scenario, { ...options, only: names, command: 'shadow' }, phases, 'concurrent')
  context.totalMs = plannedDurationMs(plan.phases)
  const progress = options.progress
  if (arms.note !== undefined) progress.message(arms.note)
  progress.message(`shadowing: each request goes to ${arms.old2 === undefined ? `${arms.old} twice` : `${arms.old} and ${arms.old2}`} and to ${arms.new} once, at the same time`)
  for (const skipped of prepared.skipped) progress.message(`not shadowed: ${skipped.method} ${skipped.name}${skipped.count > 1 ? ` ×${skipped.count}` : ''} (${skipped.reason})`)
  const random = seededRandom(context.plan.settings.seed)
  const source = requestSource(prepared, random, options.env)
  const collector = new ShadowCollector()
  const agent = new Agent({ connections: 128, keepAliveTimeout: 10_000 })
  const drainLimitMs = Math.min(maxDrainMs, Math.max(...scenario.requests.map((r) => r.timeoutMs), prepared.timeoutMs ?? 0, 1000) + 1000)
  let dropped = 0
  let ran = false
  let closed = false
  try {
    await context.start()
    const sessions = names.map((name) => context.session(name))
    const armOf = (name: string): Arm | undefined => {
      const session = context.session(name)
      const url = scenario.targets[name]?.url
      return session === undefined || url === undefined ? undefined : { session, url, headers: scenario.config.targets[name]?.headers ?? {} }
    }
    const old = armOf(arms.old)
    const again = armOf(arms.old2 ?? arms.old)
    const candidate = armOf(arms.new)
    if (old !== undefined && again !== undefined && candidate !== undefined && sessions.every((s) => s?.usable === true) && !options.signal.aborted) {
      ran = true
      const trio: [Arm, Arm, Arm] = [old, again, candidate]
      const distinctSessions = [...new Set(trio.map((arm) => arm.session))]
      const shadowOne = async (request: ShadowRequest, intendedMs: number): Promise<void> => {
        const answers: ShadowAnswer[] = []
        await Promise.all(shuffledOrder(random).map(async (i) => {
          const arm = trio[i] as Arm
          const recorder = arm.session.recorder
          recorder.sent(Math.max(0, (performance.now() - intendedMs) * 1000))
          recorder.inFlight++
          const prepared = await hookedRequest(request, context.hookContext(arm.session.name, arm.url))
          const answer = 'status' in prepared ? prepared : await sendToTarget(agent, arm.url, prepared, arm.headers)
          recorder.inFlight--
          if (!closed) recordAnswer(recorder, request, answer)
          answers[i] = answer
        }))
        if (closed) return
        const [a, b, c] = answers as [ShadowAnswer, ShadowAnswer, ShadowAnswer]
        const oldAnswer = normalizeAnswer(a, rules, 'old')
        const raw = compareAnswers(oldAnswer, normalizeAnswer(c, rules, 'new'), rules.headers, rules.arrays)
        const noise = compareAnswers(oldAnswer, normalizeAnswer(b, rules, 'old'), rules.headers, rules.arrays)
        const failed = a.error !== undefined || b.error !== undefined || c.error !== undefined
        collector.record(request.endpoint, raw, noise, failed, () => makeSample(request, a, b, c))
      }
      const result = await pace(plan, {
        launch: (intendedMs) => {
          // the selection already left mutating requests out; this guard keeps the promise even if a source gets it wrong
          for (let tries = 0; tries < maxSkippedInARow; tries++) {
            const request = source.next()
            if (request === undefined) return undefined
            if (maySend(request.method, request.allowMutating)) return shadowOne(request, intendedMs)
          }
          return undefined
        },
        shouldStop: () => trio.some((arm) => !arm.session.usable),
        phaseStarted: (phase, nowMs) => {
          for (const session of distinctSessions) {
            session.recorder.beginPhase(phase.name, 'open', nowMs)
            progress.phaseStarted(session.name, phase.name, phase.fromRate === phase.toRate ? `${phase.fromRate} req/s` : `${phase.fromRate}→${phase.toRate} req/s`)
          }
        },
        phaseEnded: (_phase, nowMs) => { for (const session of distinctSessions) session.recorder.endPhase(nowMs) }
      }, options.signal, drainLimitMs, options.maxInFlight ?? defaultMaxInFlight)
      dropped = result.dropped
      if (result.exhausted && prepared.replay !== undefined) progress.message(`replayed all ${result.sent} recorded requests`)
      if (result.abandoned > 0) progress.message(`${result.abandoned} shadowed requests were still outstanding when the run ended; they are not counted`)
    }
  } finally {
    closed = true
    await context.finish()
    await agent.destroy().catch(() => {})
  }
  const { report, checks } = summarizeShadow(collector, { judge: prepared.judge, maxMismatchRate: prepared.maxMismatchRate, arms, skipped: prepared.skipped, dropped })
  const result = analyzeRun({ run: { ...context.measured(), shadow: report }, commandChecks: ran ? checks : [], leak: context.leakInput() })
  return { result, report, runDir: context.runDir, contents: context.write(result) }
}
