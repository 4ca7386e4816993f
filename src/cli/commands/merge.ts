import type { Command } from 'commander'
import { mergeShardRuns } from '../../run/merge-run.js'
import { afterReports, exitCodeForResult } from '../exit-codes.js'
import { finishRunOutput } from './run.js'

/** What `cutover merge` takes besides the shard directories. */
export interface MergeCommandOptions {
  out: string
  allowMissing?: boolean
  strict?: boolean
  json?: boolean
}

/** Merges shard run directories into one run, writes its reports, prints the summary and returns the exit code of its verdict. */
export async function mergeCommand (runDirs: string[], options: MergeCommandOptions): Promise<number> {
  const outcome = mergeShardRuns({ runDirs, out: options.out, allowMissing: options.allowMissing === true })
  const shards = outcome.result.shards
  if (shards !== undefined) {
    ;(options.json === true ? process.stderr : process.stdout).write(`merged ${shards.merged.length} of ${shards.count} shards${shards.missing.length === 0 ? '' : ` (missing: ${shards.missing.join(', ')}; the result is marked incomplete)`}\n`)
  }
  const reportsFailed = await finishRunOutput(outcome, options.json === true)
  return afterReports(exitCodeForResult(outcome.result, options.strict === true, false), reportsFailed)
}

/** Registers `cutover merge`. */
export function registerMerge (program: Command, setExit: (code: number) => void): void {
  program.command('merge')
    .description('combine the run directories of cutover run --shard into one run: histograms merged, counters summed, everything judged again')
    .argument('<shard-dir...>', 'the shards\' run directories')
    .requiredOption('-o, --out <dir>', 'the merged run\'s directory')
    .option('--allow-missing', 'merge the shards there are when some are missing (the result is marked incomplete)')
    .option('--strict', 'treat an inconclusive verdict as a failure (exit 1)')
    .option('--json', 'print the merged result.json\'s object on stdout instead of the summary table')
    .action(async (runDirs: string[], options: MergeCommandOptions) => { setExit(await mergeCommand(runDirs, options)) })
}
