import { fileURLToPath } from 'node:url'
import type { Command } from 'commander'
import { freePort } from '../../targets/free-port.js'
import { proxyCommand } from './proxy.js'
import { runCommand, type RunCommandOptions } from './run.js'

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
  const code = await runCommand(demoScenarioPath, options, env)
  if (code !== 1) return code
  // the verdict is what the demo is for: its new version leaks on purpose
  process.stdout.write('\nThe demo\'s new version keeps every order in a cache it never trims, so cutover should find it wanting.\n' +
    (options.untilSettled === true ? '' : 'Tail percentiles scatter from slice to slice; `cutover demo --until-settled` adds rounds until every comparison is pass or fail.\n') +
    '`cutover demo` exits 0 all the same; `cutover run` on your own scenario exits 1 when a check fails.\n')
  return 0
}

/** Registers `cutover demo`. */
export function registerDemo (program: Command, setExit: (code: number) => void): void {
  program.command('demo')
    .description('run the bundled old/new catalogue services with the demo scenario')
    .option('-o, --out <dir>', 'run directory (default reports/demo-<UTC timestamp>)')
    .option('--seed <n>', 'seed for the request mix')
    .option('-q, --quiet', 'no progress output')
    .option('--until-settled', 'add rounds of the steady phase until every old-vs-new comparison is pass or fail')
    .option('--max <duration>', 'with --until-settled: the longest the whole run may take (default 10m)')
    .option('--rollout', 'rehearse the new version\'s release instead: the proxy in rollout mode, the traffic through it, the fallback when the leak shows (about 2 minutes)')
    .action(async (options: DemoOptions) => { setExit(await demoCommand(options)) })
}
