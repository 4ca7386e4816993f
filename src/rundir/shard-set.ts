/** The run directories of one sharded run, read and checked to belong together before `cutover merge` combines them. */
import { existsSync } from 'node:fs'
import { CutoverError } from '../core/errors.js'
import type { RunResult, RunStatus, ShardSetting } from '../core/result-types.js'
import { hasResultFile, readResultFile } from './result-file.js'
import { readRunPlan, type RunPlanFile } from './run-plan-file.js'
import { readTimeline } from './timeline-file.js'
import type { TimelineLine } from './timeline-line.js'

/** One shard's run directory as merge reads it. */
export interface ShardRun {
  runDir: string
  plan: RunPlanFile
  shard: ShardSetting
  lines: TimelineLine[]
  /** From its result.json; `interrupted` when the shard stopped before writing one. */
  status: RunStatus
  /** Its result.json, when it wrote one. */
  result?: RunResult
}

/** The shards found, in index order, and the indexes (from 1) that are missing. */
export interface ShardSet {
  shards: ShardRun[]
  count: number
  missing: number[]
}

function readShard (runDir: string): ShardRun {
  if (!existsSync(runDir)) throw new CutoverError('RUN_DIR_INVALID', `${runDir} does not exist`)
  const plan = readRunPlan(runDir)
  if (plan === undefined) throw new CutoverError('RUN_DIR_INVALID', `${runDir} has no readable run.json`, { hint: 'pass the run directories written by cutover run --shard' })
  const shard = plan.settings.shard
  if (shard === undefined) throw new CutoverError('MERGE_REFUSED', `${runDir} is not a shard: it was run without --shard`, { hint: 'merge combines the run directories of cutover run --shard I/N' })
  const result = hasResultFile(runDir) ? readResultFile(runDir) : undefined
  return { runDir, plan, shard, lines: readTimeline(runDir).lines, status: result?.status ?? 'interrupted', ...(result === undefined ? {} : { result }) }
}

/** What every shard of one run must share, in words for the refusal and as a value to compare. */
function sameness (run: ShardRun): Array<[string, string]> {
  const { plan, shard } = run
  return [
    ['scenario', plan.scenario.name],
    ['phases', JSON.stringify(plan.phases)],
    ['targets', Object.keys(plan.targets).join(', ')],
    ['seed', String(plan.settings.seed)],
    ['start time', shard.startAt],
    ['shard count', String(shard.count)],
    ['sampling interval', `${plan.settings.intervalMs} ms`],
    ['schedule', plan.schedule]
  ]
}

/**
 * Reads shard run directories and refuses those that are not one run: different scenarios, phases, seeds, start
 * times or shard counts, a shard given twice, or a shard missing (unless `allowMissing`).
 */
export function readShardSet (runDirs: readonly string[], allowMissing: boolean): ShardSet {
  if (runDirs.length === 0) throw new CutoverError('USAGE', 'cutover merge needs the run directories of the shards')
  const shards = runDirs.map(readShard).sort((a, b) => a.shard.index - b.shard.index)
  const first = shards[0] as ShardRun
  const expected = sameness(first)
  for (const other of shards.slice(1)) {
    sameness(other).forEach(([what, value], i) => {
      const wanted = expected[i]?.[1]
      if (value !== wanted) {
        const shown = what === 'phases' ? 'different phases' : `${what} ${value}`
        throw new CutoverError('MERGE_REFUSED', `${other.runDir} is not a shard of the same run as ${first.runDir}: ${shown}, where ${first.runDir} has ${what === 'phases' ? 'others' : wanted}`, {
          hint: 'merge the shards of one run: the same scenario, --seed and --start-at, with --shard 1/N … N/N'
        })
      }
    })
  }
  const seen = new Map<number, string>()
  for (const run of shards) {
    const earlier = seen.get(run.shard.index)
    if (earlier !== undefined) throw new CutoverError('MERGE_REFUSED', `shard ${run.shard.index}/${run.shard.count} was given twice: ${earlier} and ${run.runDir}`)
    seen.set(run.shard.index, run.runDir)
  }
  const count = first.shard.count
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((index) => !seen.has(index))
  if (missing.length > 0 && !allowMissing) {
    throw new CutoverError('MERGE_REFUSED', `shard${missing.length === 1 ? '' : 's'} ${missing.join(', ')} of ${count} ${missing.length === 1 ? 'is' : 'are'} missing`, {
      hint: 'pass every shard\'s run directory, or --allow-missing to merge what there is (the result is marked incomplete)'
    })
  }
  return { shards, count, missing }
}
