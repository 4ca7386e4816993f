import type { Command } from 'commander'
import { runCapacity } from '../../run/run-capacity.js'
import { openWithFlags, withScenarioFlags } from '../scenario-option.js'
import { afterReports, exitCodeForResult } from '../exit-codes.js'
import { progressFor, withInterrupts } from '../io.js'
import { checkTargets, finishRunOutput, parseSeed, type RunCommandOptions } from './run.js'

/** Runs the capacity search of a scenario and prints each target's highest passing rate. */
export async function capacityCommand (file: string, options: RunCommandOptions, processEnv: Record<string, string | undefined> = process.env): Promise<number> {
  const { scenario, env } = await openWithFlags(file, options, processEnv)
  checkTargets(scenario, options.target)
  return await withInterrupts(async (signal) => {
    const outcome = await runCapacity(scenario, {
      out: options.out,
      seed: parseSeed(options.seed),
      only: options.target,
      progress: progressFor(options.quiet === true, env, process.stderr),
      signal,
      env
    })
    const reportsFailed = await finishRunOutput(outcome)
    return afterReports(exitCodeForResult(outcome.result, options.strict === true, signal.aborted), reportsFailed)
  })
}

/** Registers `cutover capacity`. */
export function registerCapacity (program: Command, setExit: (code: number) => void): void {
  withScenarioFlags(program.command('capacity')
    .description('raise the rate step by step until the SLO breaks, for each target: the highest rate each sustains')
    .argument('<scenario>', 'scenario file; its capacity: block sets start, step, stepDuration and max'))
    .option('-o, --out <dir>', 'run directory (default reports/<scenario>-<UTC timestamp>)')
    .option('--seed <n>', 'seed for the request mix and templates')
    .option('--target <name...>', 'search only these targets')
    .option('--strict', 'treat an inconclusive verdict as a failure (exit 1)')
    .option('-q, --quiet', 'no progress output')
    .action(async (file: string, options: RunCommandOptions) => { setExit(await capacityCommand(file, options)) })
}
