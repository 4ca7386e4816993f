/**
 * The flags every command that opens a scenario shares: `-e KEY=VALUE` for env(), `--set path=value` and
 * `--url target=URL` to change the scenario for one run without editing it (recorded in result.json).
 */
import type { Command } from 'commander'
import type { LoadedScenario } from '../scenario/load.js'
import { openScenario } from '../scenario/open-scenario.js'
import { parseSetFlag, parseUrlFlag } from '../scenario/overrides.js'
import { collectPairs, environmentWith } from './env-option.js'

/** `-e`, `--set` and `--url`, each repeatable. */
export interface ScenarioFlags {
  env?: string[]
  set?: string[]
  url?: string[]
}

/** Adds `-e`, `--set` and `--url` to `command`. */
export function withScenarioFlags (command: Command): Command {
  return command
    .option('-e, --env <KEY=VALUE>', 'a value env() reads in the scenario, over the environment (repeatable)', collectPairs)
    .option('--set <path=value>', 'change a scenario value for this run: phases.steady.rate=500, checks.slo.p99=200ms (repeatable; null removes a field, or a list entry: phases.flood=null)', collectPairs)
    .option('--url <target=URL>', 'point a target elsewhere for this run: new=http://127.0.0.1:8080 (repeatable)', collectPairs)
}

/** Opens `file` (YAML, JSON or code) with the flags' environment and overrides; returns both. */
export async function openWithFlags (file: string, flags: ScenarioFlags, processEnv: Record<string, string | undefined> = process.env): Promise<{ scenario: LoadedScenario, env: Record<string, string | undefined> }> {
  const env = environmentWith(flags.env, processEnv)
  const overrides = [...(flags.set ?? []).map(parseSetFlag), ...(flags.url ?? []).map(parseUrlFlag)]
  return { scenario: await openScenario(file, { env, overrides }), env }
}
