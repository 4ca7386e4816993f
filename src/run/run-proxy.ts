/**
 * `cutover proxy` in mirror mode: a run (RunContext: targets started or checked, CPU and memory sampled, the
 * timeline) whose load is live traffic. Callers get old's answers; read-only requests are mirrored to new and
 * reconciled as `cutover shadow` reconciles; result.json, report.html and summary.md are refreshed every
 * `proxy.reportEvery` and written at the end (Ctrl-C, SIGTERM or `--duration`).
 */
import { performance } from 'node:perf_hooks'
import { setImmediate as letCallersThrough } from 'node:timers/promises'
import { Agent } from 'undici'
import { analyzeRun } from '../analysis/analyze-run.js'
import { CutoverError } from '../core/errors.js'
import { seededRandom } from '../core/random.js'
import type { ProxySummary, RunResult } from '../core/result-types.js'
import { thrownMessage } from '../core/thrown-message.js'
import { waitFor } from '../core/wait.js'
import type { TargetRecorder } from '../metrics/recorder.js'
import { defaultMaxInFlight, type PlannedPhase } from '../plan/phases.js'
import { BusyGauge, busyAbove } from '../proxy/busy-gauge.js'
import { Mirror } from '../proxy/mirror.js'
import { ReportProcess } from './report-process.js'
import { ProxyServer } from '../proxy/proxy-server.js'
import { mutatingRoutes } from '../proxy/routes.js'
import { Rollout, type RolloutEvent, type Side } from '../proxy/rollout.js'
import { parseStickiness, type Stickiness } from '../proxy/bucket.js'
import type { CheckResult } from '../core/result-types.js'
import type { LoadedScenario } from '../scenario/load.js'
import type { ShadowAnswer } from '../shadow/answer.js'
import { ShadowCollector } from '../shadow/collector.js'
import { compileShadowRules } from '../shadow/rules.js'
import { defaultJudgeSettings } from '../analysis/shadow/judge.js'
import { summarizeShadow } from '../shadow/summarize.js'
import type { ShadowReport } from '../shadow/report-types.js'
import { RunContext, type RunContextOptions } from './run-context.js'
import type { RunOutcome } from './run-scenario.js'

/** Defaults of the `proxy:` block. */
export const proxyDefaults = {
  host: '127.0.0.1',
  port: 8080,
  noiseSample: 0.1,
  reportEveryMs: 60_000,
  maxMirrorBody: 1_000_000,
  mirrorQueue: 1000,
  rollout: { steps: [0.01, 0.05, 0.25, 0.5, 1], holdMs: 300_000, stickiness: 'ip', minRequests: 100, errorRate: { kind: 'points', fraction: 0.005 }, p99: { kind: 'relative', fraction: 0.2 } } as const
}

/** How often the rollout looks at its gates and at error bursts. */
const rolloutTickMs = 1000

/** Mirror requests outstanding at once. */
const mirrorConcurrency = 64
/** Per-request timeout towards old and new. */
const upstreamTimeoutMs = 30_000
/** Longest wait for callers still being answered, and for mirror requests, when the proxy stops. */
const closeGraceMs = 5000

/** What `cutover proxy` takes besides the scenario. */
export interface ProxyRunOptions extends Omit<RunContextOptions, 'command' | 'only'> {
  /** `--listen`, over `proxy.listen`. */
  listen?: string | undefined
  /** `--duration`: stop after this long (default: until interrupted). */
  durationMs?: number | undefined
  /** CUTOVER_CONTROL_TOKEN. */
  controlToken?: string | undefined
  /** Told the address once the proxy listens (tests, and the progress line). */
  onListening?: ((url: string) => void) | undefined
  /** Given the operator's fallback once the proxy runs (the CLI binds it to SIGUSR2). */
  onFallbackReady?: ((fallback: (reason: string) => void) => void) | undefined
  /** The rehearsal (`cutover rollout`): what it changes of the proxy, and the traffic it drives through it. */
  rehearsal?: ProxyRehearsal | undefined
}

/** `cutover rollout`: the proxy in rollout mode, with the scenario's own traffic as its callers. */
export interface ProxyRehearsal {
  /** Where callers are placed from: the scenario's stickiness, or `none` when it is the one address all traffic comes from. */
  stickiness: Stickiness
  /** How long the traffic is planned to last (for progress). */
  plannedMs: number
  /** Sends the traffic to the proxy at `url` until the phases end or `signal` aborts (the rollout decided); the proxy stops when it resolves. */
  drive: (url: URL, context: RunContext, signal: AbortSignal) => Promise<void>
  /** The callers' side of the run for result.json, once the traffic has ended. */
  callers: () => NonNullable<ProxySummary['rehearsal']>
}

/**
 * The rollout as a check: fails when it fell back, passes when complete; still rolling at the end warns (a live
 * proxy was stopped) or, in a rehearsal, is inconclusive (its traffic ended before the rollout could).
 */
function rolloutCheck (rollout: Rollout, rehearsal: boolean): CheckResult {
  const last = rollout.events.at(-1)?.message ?? ''
  const status = rollout.state === 'fell back' ? 'fail' : rollout.state === 'complete' ? 'pass' : rehearsal ? 'inconclusive' : 'warn'
  const stopped = rehearsal
    ? `the rehearsal's traffic ended at step ${Number((rollout.share * 100).toFixed(2))}%, before the rollout was done (lengthen the phases or shorten proxy.rollout.hold)`
    : `stopped during the rollout at ${(rollout.share * 100).toFixed(2)}%`
  return { id: 'rollout', target: 'new', status, observed: rollout.share, limit: 1, unit: 'fraction', message: rollout.state === 'rolling' ? `${stopped}: ${last}` : last }
}

/** `gates.memoryGrowth` as the rollout takes it: `auto` unless set, and nothing when `off`. */
function memoryGrowthOf (setting: 'auto' | 'off' | number | undefined): 'auto' | number | undefined {
  if (setting === 'off') return undefined
  return setting ?? 'auto'
}

/** `host:port` or a port (on 127.0.0.1). */
export function parseListen (value: string | number | undefined): { host: string, port: number } {
  if (value === undefined) return { host: proxyDefaults.host, port: proxyDefaults.port }
  const text = String(value)
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(text)
  const port = Number(match === null ? text : match[3])
  if (!Number.isInteger(port) || port < 0 || port > 65535 || (match === null && !/^\d{1,5}$/.test(text))) {
    throw new CutoverError('PROXY_CONFIG', `cannot listen on "${text}": expected host:port such as 127.0.0.1:8080, or a port`)
  }
  return { host: match === null ? proxyDefaults.host : match[1] ?? match[2] ?? proxyDefaults.host, port }
}

/** The failure kind of an answer, as the drivers count them: no response, or a 5xx (a 4xx is the caller's business). */
function recordAnswer (recorder: TargetRecorder, latencyMs: number, status: number, error: string | undefined): void {
  if (error !== undefined) recorder.error(error, error === 'timeout' ? latencyMs * 1000 : undefined)
  else recorder.response(latencyMs * 1000, status, status >= 500 ? `http ${status}` : undefined)
}

/** Runs the proxy until interrupted (or `durationMs`), and writes its run directory. */
export async function runProxy (scenario: LoadedScenario, options: ProxyRunOptions): Promise<RunOutcome & { report: ShadowReport }> {
  const config = scenario.config.proxy ?? {}
  for (const role of ['old', 'new']) {
    if (scenario.targets[role] === undefined) {
      throw new CutoverError('PROXY_CONFIG', `cutover proxy needs targets named old and new; the scenario has ${Object.keys(scenario.config.targets).join(', ')}`, { hint: 'name the running service old and its replacement new under targets:' })
    }
  }
  const listen = parseListen(options.listen ?? config.listen)
  const allowMutating = mutatingRoutes(config.allowMutating ?? [])
  const noiseSample = config.noiseSample ?? proxyDefaults.noiseSample
  const reportEveryMs = config.reportEvery ?? proxyDefaults.reportEveryMs
  const rehearsal = options.rehearsal
  const phases: PlannedPhase[] = [{ kind: 'open', name: 'live', durationMs: options.durationMs ?? rehearsal?.plannedMs ?? 0, fromRate: 0, toRate: 0, maxInFlight: defaultMaxInFlight }]
  const context = new RunContext(scenario, { ...options, only: ['old', 'new'], command: rehearsal === undefined ? 'proxy' : 'rollout' }, phases, 'concurrent')
  context.totalMs = options.durationMs ?? rehearsal?.plannedMs ?? 0
  const rules = compileShadowRules(scenario.config.shadow, scenario.file)
  const collector = new ShadowCollector()
  const dispatcher = new Agent({ connections: mirrorConcurrency, keepAliveTimeout: 10_000 })
  const mirrorYield = config.mirrorYield ?? busyAbove
  /** Whether the proxy is too busy with callers to mirror; none with `mirrorYield: off`. */
  const gauge = mirrorYield === 'off' ? undefined : new BusyGauge(mirrorYield)
  const arms = { old: 'old', new: 'new', old2: undefined, note: undefined }
  const judge = { ...defaultJudgeSettings, mode: rules.mode }
  const mode = rehearsal === undefined ? config.mode ?? 'mirror' : 'rollout'
  let rollout: Rollout | undefined
  let answeredByNew = 0
  const maxMismatchRate = scenario.config.checks?.shadow?.maxMismatchRate ?? 0
  let server: ProxyServer | undefined
  let mirror: Mirror | undefined
  let address = `${listen.host}:${listen.port}`
  let trafficEnded = false
  /** Aborted when the rollout has decided (fell back, complete, promoted): a rehearsal's traffic ends there. */
  const decided = new AbortController()
  let answered = 0
  /** Callers answered with a 5xx or no answer from old; new's failed mirror answers. */
  const failed = { old: 0, new: 0 }
  let timer: NodeJS.Timeout | undefined
  let rolloutTimer: NodeJS.Timeout | undefined
  let refreshing: Promise<void> | undefined
  const summaryOf = (state: ProxySummary['state']): ProxySummary => ({
    listen: address,
    mode,
    state,
    answered,
    ...(rollout === undefined
      ? {}
      : {
          rollout: {
            state: rollout.state,
            share: rollout.share,
            step: rollout.stepIndex,
            steps: config.rollout?.steps ?? [...proxyDefaults.rollout.steps],
            events: rollout.events,
            gates: rollout.lastGates,
            answeredByNew
          }
        }),
    ...(rehearsal === undefined || !trafficEnded ? {} : { rehearsal: rehearsal.callers() }),
    mirror: {
      mirrored: mirror?.counts.mirrored ?? 0,
      compared: mirror?.counts.compared ?? 0,
      dropped: mirror?.counts.dropped ?? 0,
      shed: mirror?.counts.shed ?? 0,
      tooLarge: mirror?.counts.tooLarge ?? 0,
      mutating: mirror?.counts.mutating ?? 0,
      differing: mirror?.counts.differing ?? 0,
      noiseSample,
      endpoints: [...(mirror?.endpoints ?? new Map()).entries()].map(([name, counts]) => ({ name, ...counts }))
    }
  })
  const resultOf = (state: ProxySummary['state']): { result: RunResult, report: ShadowReport } => {
    const skipped = [
      ...((mirror?.counts.mutating ?? 0) > 0 ? [{ name: 'mutating requests', method: '*', reason: 'mutating (add the route to proxy.allowMutating to mirror it)', count: mirror?.counts.mutating ?? 0 }] : []),
      ...((mirror?.counts.tooLarge ?? 0) > 0 ? [{ name: 'large bodies', method: '*', reason: 'a body over proxy.maxMirrorBody', count: mirror?.counts.tooLarge ?? 0 }] : []),
      ...((mirror?.counts.shed ?? 0) > 0 ? [{ name: 'while the proxy was busy', method: '*', reason: `its event loop was over ${Math.round(Number(mirrorYield) * 100)}% busy with callers: the mirror yielded`, count: mirror?.counts.shed ?? 0 }] : [])
    ]
    const { report, checks } = summarizeShadow(collector, { judge, maxMismatchRate, arms, skipped, dropped: mirror?.counts.dropped ?? 0 })
    const commandChecks = [...(rollout === undefined ? [] : [rolloutCheck(rollout, rehearsal !== undefined)]), ...(collector.requests > 0 ? checks : [])]
    return { result: analyzeRun({ run: { ...context.measured(), shadow: report, proxy: summaryOf(state) }, commandChecks, leak: context.leakInput() }), report }
  }
  // the files are refreshed during the run: a page open in a browser or a CI step can read how it stands; drawn by a
  // process of their own, from the files just written, so callers never wait for a chart. Between its steps on this
  // thread the refresh lets callers' requests through (one pause of 6 ms for the analysis, not one of 10-17 ms for
  // all of it: bench:proxy's refreshes every 10 s)
  const reports = new ReportProcess(Math.max(2 * reportEveryMs, 60_000))
  /** The last refresh's failure, said once until it changes. */
  let refreshFailure = ''
  const refresh = async (): Promise<void> => {
    let failures: string[]
    try {
      await context.flushNow()
      await letCallersThrough()
      const { result } = resultOf('running')
      await letCallersThrough()
      context.writeResult(result)
      await letCallersThrough()
      failures = await reports.render(context.runDir)
    } catch (error) {
      failures = [thrownMessage(error)]
    }
    const said = failures.join('; ')
    if (said !== refreshFailure && said !== '') options.progress.message(`proxy: the live reports could not be refreshed: ${said}`)
    refreshFailure = said
  }
  try {
    await context.start()
    const old = context.session('old')
    const candidate = context.session('new')
    if (old === undefined || candidate === undefined || !old.usable || options.signal.aborted) throw new CutoverError('PROXY_CONFIG', 'the proxy did not start: old or new could not be reached or started')
    const now = performance.now()
    old.recorder.beginPhase('live', 'open', now)
    candidate.recorder.beginPhase('live', 'open', now)
    const oldUrl = scenario.targets.old?.url as URL
    const newUrl = scenario.targets.new?.url as URL
    const headersOf = (name: string): Record<string, string> => scenario.config.targets[name]?.headers ?? {}
    const activeMirror = new Mirror({
      dispatcher,
      candidate: { url: newUrl, headers: headersOf('new') },
      old: { url: oldUrl, headers: headersOf('old') },
      rules,
      noiseSample,
      random: seededRandom(context.plan.settings.seed),
      maxQueued: config.mirrorQueue ?? proxyDefaults.mirrorQueue,
      concurrency: mirrorConcurrency,
      collector,
      busy: gauge === undefined ? undefined : () => gauge.busy,
      answered: (answer: ShadowAnswer) => {
        if (answer.error !== undefined || answer.status >= 500) failed.new++
        recordAnswer(candidate.recorder, answer.latencyMs, answer.status, answer.error)
      }
    })
    mirror = activeMirror
    gauge?.start()
    const recorders = { old: old.recorder, new: candidate.recorder }
    if (mode === 'rollout') {
      const settings = config.rollout ?? {}
      const onEvent = (event: RolloutEvent): void => {
        if (event.kind === 'fallback' || event.kind === 'complete' || event.kind === 'promote') decided.abort()
        options.progress.message(`rollout: ${event.message}`)
        candidate.events.push({ t: candidate.elapsedSec, type: `rollout ${event.kind}`, detail: event.message })
      }
      rollout = new Rollout({
        steps: settings.steps ?? [...proxyDefaults.rollout.steps],
        holdMs: settings.hold ?? proxyDefaults.rollout.holdMs,
        gates: {
          errorRate: settings.gates?.errorRate ?? proxyDefaults.rollout.errorRate,
          p99: settings.gates?.p99 ?? proxyDefaults.rollout.p99,
          memoryGrowth: memoryGrowthOf(settings.gates?.memoryGrowth)
        },
        memory: () => ({ old: old.memory(), new: candidate.memory() }),
        minRequests: settings.minRequests ?? proxyDefaults.rollout.minRequests,
        stickiness: rehearsal?.stickiness ?? parseStickiness(settings.stickiness ?? proxyDefaults.rollout.stickiness),
        salt: scenario.config.name,
        random: seededRandom(context.plan.settings.seed + 1)
      }, performance.now(), onEvent)
    }
    const activeRollout = rollout
    const fallback = (reason: string): void => { activeRollout?.fallBack(reason) }
    server = new ProxyServer({
      host: listen.host,
      port: listen.port,
      old: oldUrl,
      oldHeaders: headersOf('old'),
      candidate: newUrl,
      candidateHeaders: headersOf('new'),
      maxMirrorBody: config.maxMirrorBody ?? proxyDefaults.maxMirrorBody,
      allowMutating,
      timeoutMs: upstreamTimeoutMs,
      control: {
        token: options.controlToken,
        status: () => ({ ...summaryOf('running'), failed }),
        fallback: () => {
          if (activeRollout === undefined) return { status: 409, message: 'mirror mode: every caller already gets old; nothing to fall back from' }
          fallback('the operator asked (POST /_cutover/fallback)')
          return { status: 200, message: 'fell back: every caller goes to old' }
        },
        promote: () => {
          if (activeRollout === undefined) return { status: 409, message: 'mirror mode: nothing to promote (proxy.mode rollout shifts callers to new)' }
          activeRollout.promote()
          return { status: 200, message: 'promoted: every caller goes to new' }
        }
      }
    }, {
      answered: (latencyMs, status, error, side: Side) => {
        answered++
        if (side === 'new') answeredByNew++
        const failedAnswer = error !== undefined || status >= 500
        if (failedAnswer) failed[side]++
        recordAnswer(recorders[side], latencyMs, status, error)
        activeRollout?.record(side, latencyMs, failedAnswer, performance.now())
      },
      route: activeRollout === undefined ? undefined : (req) => activeRollout.route(req),
      mirror: (job) => { activeMirror.push(job) },
      notMirrored: (reason) => { activeMirror.counts[reason]++ }
    })
    const bound = await server.listen().catch((error: unknown) => {
      throw new CutoverError('PROXY_CONFIG', `cannot listen on ${listen.host}:${listen.port}: ${(error as { code?: string }).code ?? String(error)}`, { hint: 'choose another address with --listen or proxy.listen' })
    })
    address = `${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}`
    options.progress.message(`proxy: listening on http://${address}; ${activeRollout === undefined ? 'every caller gets old' : 'callers go to old, and a growing share to new'} (${oldUrl.origin}, ${newUrl.origin}); old's read-only requests are mirrored to new, ${Math.round(noiseSample * 100)}% of them to old again`)
    options.onListening?.(`http://${address}`)
    options.onFallbackReady?.(fallback)
    timer = setInterval(() => { refreshing ??= refresh().finally(() => { refreshing = undefined }) }, reportEveryMs)
    if (activeRollout !== undefined) rolloutTimer = setInterval(() => { activeRollout.tick(performance.now()) }, rolloutTickMs)
    // the rehearsal's traffic, or until interrupted: a day at a time (a timer cannot wait longer than 24.8 days)
    if (rehearsal !== undefined) {
      await rehearsal.drive(new URL(`http://${address}`), context, AbortSignal.any([options.signal, decided.signal]))
      trafficEnded = true
    } else if (options.durationMs !== undefined) await waitFor(options.durationMs, options.signal)
    else while (!options.signal.aborted) await waitFor(86_400_000, options.signal)
  } finally {
    if (timer !== undefined) clearInterval(timer)
    if (rolloutTimer !== undefined) clearInterval(rolloutTimer)
    gauge?.stop()
    // a refresh still rendering is ended rather than waited for: its process runs at the lowest priority, and a busy
    // host could make the stop wait on it (the final reports are written below anyway)
    await reports.close()
    await refreshing
    await server?.close(closeGraceMs)
    await mirror?.drain(closeGraceMs)
    const now = performance.now()
    for (const name of ['old', 'new']) context.session(name)?.recorder.endPhase(now)
    await context.finish()
    await dispatcher.destroy().catch(() => {})
  }
  const { result, report } = resultOf('stopped')
  return { result, report, runDir: context.runDir, contents: context.write(result) }
}
