/** One step of a capacity search for one target: a ramp and a judged hold, or a closed-model ceiling hold after the search. */
import { performance } from 'node:perf_hooks'
import { generatorAtCeiling, judgeCapacityStep } from '../analysis/capacity-step.js'
import type { CapacityStep, PhaseSummary } from '../core/result-types.js'
import { ceilingConnections, type CapacitySearch, type CapacitySettings } from '../plan/capacity.js'
import { defaultMaxInFlight, type PlannedPhase } from '../plan/phases.js'
import type { RunContext } from './run-context.js'
import type { TargetSession } from './target-session.js'

/** Ramp into each new rate (2 s, or half a short step), so a step starts without a backlog. */
const rampMs = (stepDurationMs: number): number => Math.min(2000, Math.round(stepDurationMs / 2))

function stepPhases (from: number, to: number, stepDurationMs: number, attempt: number): [PlannedPhase, PlannedPhase] {
  // each try is a phase of its own: a retry is judged on its own figures, not on the try before it
  const tryNote = attempt > 1 ? ` (try ${attempt})` : ''
  const ramp: PlannedPhase = { kind: 'open', name: `ramp to ${to} req/s${tryNote}`, durationMs: rampMs(stepDurationMs), fromRate: from, toRate: to, maxInFlight: defaultMaxInFlight }
  const hold: PlannedPhase = { kind: 'open', name: `${to} req/s${tryNote}`, durationMs: stepDurationMs, fromRate: to, toRate: to, maxInFlight: defaultMaxInFlight }
  return [ramp, hold]
}

/** One target's search: its state, the curve so far, and the rate it last ran. */
export interface TargetSearch {
  session: TargetSession
  search: CapacitySearch
  curve: CapacityStep[]
  lastRate: number
}

/** What one measured hold gave: its figures, the generator's own CPU over it (share of a core), the service's resources. */
interface Held {
  figures: PhaseSummary
  cpuShare: number | undefined
  resources: { cpuPercent: number, rssBytes: number } | undefined
}

/**
 * Runs one measured hold. The generator's own CPU is read over it (targets take turns, so it is this target's load): it
 * tells the generator's ceiling apart from a busy machine and from a service the generator is waiting on.
 */
async function hold (context: RunContext, session: TargetSession, phase: PlannedPhase, describe: string): Promise<Held | undefined> {
  const holdStartSec = session.elapsedSec
  const cpuBefore = process.cpuUsage()
  const wallBefore = performance.now()
  await session.runSegment({ target: session.name, phaseIndex: 0, phase, window: [0, phase.durationMs] }, describe)
  const cpu = process.cpuUsage(cpuBefore)
  const wallMs = performance.now() - wallBefore
  await context.flushNow()
  const figures = session.phaseFigures(phase.name)
  if (figures === undefined || !session.usable) return undefined
  return { figures, cpuShare: wallMs > 0 ? (cpu.user + cpu.system) / 1000 / wallMs : undefined, resources: session.resourcesSince(holdStartSec) }
}

/** The curve point of a hold. */
function curveStep (rate: number, held: Held, verdict: ReturnType<typeof judgeCapacityStep>, extra: Partial<CapacityStep>): CapacityStep {
  const { figures, cpuShare, resources } = held
  return {
    rate,
    throughput: figures.throughput,
    p50Ms: figures.latencyMs.p50,
    p99Ms: figures.latencyMs.p99,
    errorRate: figures.requests.total === 0 ? 0 : figures.requests.failed / figures.requests.total,
    ...(resources === undefined ? {} : { cpuPercent: Math.round(resources.cpuPercent * 10) / 10, rssBytes: Math.round(resources.rssBytes) }),
    ...(cpuShare === undefined ? {} : { generatorCpuPercent: Math.round(cpuShare * 1000) / 10 }),
    passed: verdict.passed,
    ...(verdict.limitedBy === undefined ? {} : { limitedBy: verdict.limitedBy }),
    ...extra
  }
}

/** Runs the search's next step for one target and reports it to the search. */
export async function runStep (context: RunContext, target: TargetSearch, rate: number, settings: CapacitySettings): Promise<void> {
  if (target.search.holdingCeiling) {
    await runCeilingHold(context, target, settings)
    return
  }
  const attempt = target.search.attempt
  const [ramp, measured] = stepPhases(Math.min(target.lastRate, rate), rate, settings.stepDurationMs, attempt)
  const session = target.session
  context.options.progress.message(`[${session.name}] trying ${rate} req/s`)
  await session.runSegment({ target: session.name, phaseIndex: 0, phase: ramp, window: [0, ramp.durationMs] }, `ramp to ${rate} req/s`)
  // the ramp's stragglers settle before the measured hold
  await context.flushNow()
  const held = await hold(context, session, measured, `${rate} req/s`)
  target.lastRate = rate
  if (held === undefined) return
  const verdict = judgeCapacityStep(held.figures, context.plan.slo, { cpuShare: held.cpuShare })
  target.curve.push(curveStep(rate, held, verdict, attempt > 1 ? { attempt } : {}))
  const again = attempt > 1 ? ` (try ${attempt})` : ''
  context.options.progress.message(`[${session.name}] ${rate} req/s${again} ${verdict.passed ? `held: ${verdict.detail}` : `broke: ${verdict.detail}`}`)
  target.search.report(verdict.passed, verdict.limitedBy)
}

/**
 * A ceiling hold: a closed-model phase (a fixed number of connections, each sending as soon as its answer came, as wrk
 * does) whose answered rate is the most the service can serve. Repeated, their spread gives the ceiling, and the
 * comparison of two services, an interval. A generator using most of a core measured its own ceiling instead: such a
 * hold is marked and not counted.
 */
async function runCeilingHold (context: RunContext, target: TargetSearch, settings: CapacitySettings): Promise<void> {
  const session = target.session
  const knee = target.search.result().maxRps
  const atKnee = target.curve.filter((step) => step.overload !== true && step.passed && step.rate === knee).at(-1)
  const connections = ceilingConnections(knee, atKnee?.p50Ms)
  const index = target.curve.filter((step) => step.overload === true).length + 1
  const phase: PlannedPhase = { kind: 'closed', name: `ceiling hold ${index}`, durationMs: settings.stepDurationMs, connections }
  context.options.progress.message(`[${session.name}] ceiling hold ${index}: ${connections} connections`)
  const held = await hold(context, session, phase, `${connections} connections`)
  target.lastRate = 0
  if (held === undefined) return
  const slo = judgeCapacityStep(held.figures, context.plan.slo)
  const busy = generatorAtCeiling(held.cpuShare)
  const verdict = busy ? { passed: false, limitedBy: 'generator' as const, detail: `the generator used ${((held.cpuShare ?? 0) * 100).toFixed(0)}% of a core: it measured its own ceiling, not the service's` } : slo
  target.curve.push(curveStep(Math.round(held.figures.throughput), held, verdict, { overload: true, connections }))
  context.options.progress.message(`[${session.name}] ceiling hold ${index}: answered ${held.figures.throughput.toFixed(0)} req/s (p99 ${held.figures.latencyMs.p99.toFixed(1)} ms${busy ? `; ${verdict.detail}` : ''})`)
  target.search.report(!busy, busy ? 'generator' : undefined)
}
