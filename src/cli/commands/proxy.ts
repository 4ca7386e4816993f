import type { Command } from 'commander'
import { CutoverError } from '../../core/errors.js'
import { parseDurationMs } from '../../core/units.js'
import { keepHeapTight } from '../../proxy/tight-heap.js'
import { runProxy } from '../../run/run-proxy.js'
import { rehearseRollout } from '../../run/run-rollout.js'
import { formatShadowSummary } from '../../shadow/format.js'
import { afterReports, exitCodeForResult } from '../exit-codes.js'
import { progressFor, withInterrupts } from '../io.js'
import { openWithFlags, withScenarioFlags, type ScenarioFlags } from '../scenario-option.js'
import { parseSeed, writeReportFiles } from './run.js'

/** What `cutover proxy` takes besides the scenario. */
export interface ProxyCommandOptions extends ScenarioFlags {
  out?: string
  seed?: string
  listen?: string
  duration?: string
  strict?: boolean
  quiet?: boolean
}

/**
 * Runs the proxy until Ctrl-C, SIGTERM or --duration (or, rehearsing with `cutover rollout`, until the scenario's
 * traffic ends); prints the decisions and the reconciliation; returns the exit code.
 */
export async function proxyCommand (file: string, options: ProxyCommandOptions, processEnv: Record<string, string | undefined> = process.env, rehearse = false): Promise<number> {
  const { scenario, env } = await openWithFlags(file, options, processEnv)
  let durationMs: number | undefined
  if (options.duration !== undefined && !rehearse) {
    durationMs = parseDurationMs(options.duration)
    if (durationMs === undefined || durationMs <= 0) throw new CutoverError('USAGE', `--duration expects a duration such as 10m, got "${options.duration}"`)
  }
  // a proxy in front of callers for days keeps its heap small; a rehearsal's own load generator is left as it is
  if (!rehearse) keepHeapTight()
  let onUsr2: (() => void) | undefined
  return await withInterrupts(async (signal) => {
    const { result, report, runDir, contents } = await (rehearse ? rehearseRollout : runProxy)(scenario, {
      // SIGUSR2 falls back, as POST /_cutover/fallback does
      onFallbackReady: (fallback) => {
        onUsr2 = () => { fallback('SIGUSR2') }
        process.on('SIGUSR2', onUsr2)
      },
      out: options.out,
      seed: parseSeed(options.seed),
      listen: options.listen,
      durationMs,
      controlToken: env.CUTOVER_CONTROL_TOKEN,
      progress: progressFor(options.quiet === true, env, process.stderr),
      signal,
      env
    })
    if (onUsr2 !== undefined) process.off('SIGUSR2', onUsr2)
    for (const event of result.proxy?.rollout?.events ?? []) process.stdout.write(`rollout: ${event.message}\n`)
    const callers = result.proxy?.rehearsal?.callers
    if (callers !== undefined) {
      const { total, failed } = callers.requests
      process.stdout.write(`callers: ${total} requests through the proxy, ${failed} failed; p50 ${callers.latencyMs.p50} ms, p99 ${callers.latencyMs.p99} ms\n`)
    }
    process.stdout.write(`${formatShadowSummary(result, report)}\n`)
    const reportsFailed = await writeReportFiles(contents)
    process.stdout.write(`run directory: ${runDir}\n`)
    return afterReports(exitCodeForResult(result, options.strict === true, signal.aborted), reportsFailed)
  })
}

/** Registers `cutover proxy`. */
export function registerProxy (program: Command, setExit: (code: number) => void): void {
  withScenarioFlags(program.command('proxy')
    .description('stand in front of old and new: mirror mode gives every caller old\'s answer and mirrors read-only requests to new, reconciled (a parallel run on live traffic); rollout mode sends a growing, sticky share of callers to new behind error-rate and p99 gates, and falls back to old on its own (SIGUSR2 or POST /_cutover/fallback too)')
    .argument('<scenario>', 'scenario file with targets old and new; its proxy: block sets listen, mode, rollout, noiseSample, reportEvery, maxMirrorBody, mirrorQueue, allowMutating; its shadow: block the reconciliation'))
    .option('--listen <host:port>', 'where callers connect (default proxy.listen, else 127.0.0.1:8080); a port alone listens on 127.0.0.1')
    .option('--duration <duration>', 'stop after this long (default: until Ctrl-C or SIGTERM)')
    .option('-o, --out <dir>', 'run directory (default reports/<scenario>-<UTC timestamp>)')
    .option('--seed <n>', 'seed for which mirrored requests go to old again')
    .option('--strict', 'treat an inconclusive verdict as a failure (exit 1)')
    .option('-q, --quiet', 'no progress output')
    .action(async (file: string, options: ProxyCommandOptions) => { setExit(await proxyCommand(file, options)) })
}

/** Registers `cutover rollout`, the rehearsal. */
export function registerRollout (program: Command, setExit: (code: number) => void): void {
  withScenarioFlags(program.command('rollout')
    .description('rehearse the release: start old and new, put the proxy in rollout mode in front of them and drive the scenario\'s own traffic through it (phases, mix, journeys), so the growing share, the gates (errorRate, p99, memoryGrowth) and the fallback run in CI before production; exit 1 when it falls back')
    .argument('<scenario>', 'scenario file with targets old and new, phases, and a proxy.rollout block (steps, hold, gates)'))
    .option('--listen <host:port>', 'where the proxy listens (default a free port on 127.0.0.1)')
    .option('-o, --out <dir>', 'run directory (default reports/<scenario>-<UTC timestamp>)')
    .option('--seed <n>', 'seed for the request mix, the placement of callers and the requests mirrored to old again')
    .option('--strict', 'treat an inconclusive verdict (a rollout the traffic did not finish) as a failure (exit 1)')
    .option('-q, --quiet', 'no progress output')
    .action(async (file: string, options: ProxyCommandOptions) => { setExit(await proxyCommand(file, options, process.env, true)) })
}
