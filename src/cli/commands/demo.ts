import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Command } from 'commander'
import { isCutoverError } from '../../core/errors.js'
import { saveBaseline } from '../../baseline/save-baseline.js'
import type { RunOutcome } from '../../run/run-scenario.js'
import { freePort } from '../../targets/free-port.js'
import { withScenarioFlags } from '../scenario-option.js'
import { proxyCommand } from './proxy.js'
import { runCommand, type RunCommandOptions } from './run.js'
import { shownPath } from '../../core/shown-path.js'

/** The bundled demo scenario, inside the package. */
export const demoScenarioPath = fileURLToPath(new URL('../../../scenarios/demo/demo.yaml', import.meta.url))
/** The bundled rehearsal of the demo's release. */
export const rolloutDemoPath = fileURLToPath(new URL('../../../scenarios/demo/rollout.yaml', import.meta.url))

/** What `cutover demo` takes. */
export interface DemoOptions extends RunCommandOptions {
  rollout?: boolean
}

/** Runs the bundled old/new catalogue demo on two free ports. */
export async function demoCommand (options: DemoOptions): Promise<number> {
  const env = { ...process.env, CUTOVER_DEMO_OLD_PORT: String(await freePort()), CUTOVER_DEMO_NEW_PORT: String(await freePort()) }
  if (options.rollout === true) {
    process.stderr.write(`cutover demo --rollout: the release of the new catalogue service, rehearsed (${rolloutDemoPath})\n`)
    const code = await proxyCommand(rolloutDemoPath, { out: options.out, seed: options.seed, quiet: options.quiet }, env, true)
    if (code !== 1) return code
    process.stdout.write('\nThe demo\'s new version keeps every order in a cache it never trims: the rehearsal fell back to old, as a release would.\n' +
      '`cutover demo --rollout` exits 0 all the same; `cutover rollout` on your own scenario exits 1 when it falls back.\n')
    return 0
  }
  process.stderr.write(`cutover demo: the old and the new catalogue service (${demoScenarioPath})\n`)
  // the loop the product is built for: the first run becomes baselines/demo.json here, every later run is compared with it
  const baseline = resolve(demoBaselineFile)
  const hadBaseline = existsSync(baseline)
  const withBaseline = { ...options, set: [`checks.baseline.file=${baseline}`, ...(options.set ?? [])] }
  const code = await runCommand(demoScenarioPath, withBaseline, env, (outcome) => { afterDemoRun(outcome, baseline, hadBaseline) })
  if (code !== 1) return code
  // the verdict is what the demo is for: its new version leaks on purpose
  process.stdout.write('\nThe demo\'s new version keeps every order in a cache it never trims, so cutover should find it wanting.\n' +
    (options.untilSettled === true ? '' : 'Tail percentiles scatter from slice to slice; `cutover demo --until-settled` adds rounds until every comparison is pass or fail.\n') +
    '`cutover demo` exits 0 all the same; `cutover run` on your own scenario exits 1 when a check fails.\n')
  return 0
}

/** Where the demo keeps its baseline, relative to the working folder (as `cutover baseline save` does). */
export const demoBaselineFile = 'baselines/demo.json'

/** Stores the first demo run as the baseline, or says what the comparison with it and the history added. */
function afterDemoRun (outcome: RunOutcome, baseline: string, hadBaseline: boolean): void {
  const history = outcome.result.history
  const trend = history === undefined ? '' : ` The trend of the last ${history.runs} demo runs: ${shownPath(resolve(outcome.runDir, history.file))}.`
  if (hadBaseline) {
    const compared = outcome.result.checks.filter((check) => check.id.startsWith('baseline.') && check.id !== 'baseline.file')
    const failed = compared.filter((check) => check.status === 'fail').length
    process.stdout.write(`\nCompared with the baseline ${shownPath(baseline)} (checks.baseline): ${compared.length} check(s), ${failed} failed.${trend}\n`)
    return
  }
  if (outcome.result.status !== 'completed') return
  try {
    // the demo's verdict is FAIL on purpose (its new version leaks); the baseline keeps this run all the same
    const saved = saveBaseline(outcome.runDir, { file: baseline, force: true })
    process.stdout.write(`\nNo baseline yet: this run is now ${shownPath(saved.path)}. Run \`cutover demo\` again and it is compared with it (checks.baseline), and the runs' trend is drawn in history.html.\n`)
  } catch (error) {
    if (!isCutoverError(error)) throw error
    process.stderr.write(`the demo's baseline was not stored: ${error.message}\n`)
  }
}

/** Registers `cutover demo`. */
export function registerDemo (program: Command, setExit: (code: number) => void): void {
  withScenarioFlags(program.command('demo')
    .description('run the bundled old/new catalogue services with the demo scenario; the first run is stored as baselines/demo.json, later runs are compared with it'))
    .option('-o, --out <dir>', 'run directory (default reports/demo-<UTC timestamp>)')
    .option('--seed <n>', 'seed for the request mix')
    .option('-q, --quiet', 'no progress output')
    .option('--until-settled', 'add rounds of the steady phase until every old-vs-new comparison is pass or fail')
    .option('--max <duration>', 'with --until-settled: the longest the whole run may take (default 10m)')
    .option('--metrics <host:port>', 'serve live Prometheus metrics at http://host:port/metrics during the run (a port alone: on 127.0.0.1)')
    .option('--rollout', 'rehearse the new version\'s release instead: the proxy in rollout mode, the traffic through it, the fallback when the leak shows (about 2 minutes)')
    .action(async (options: DemoOptions) => { setExit(await demoCommand(options)) })
}
