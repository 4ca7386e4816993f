/**
 * `cutover merge`: the run directories of a sharded run made into one run directory, judged by the same analysis a
 * single run uses (SLO checks, new against old, leak verdicts) on the merged timeline.
 */
import { copyFileSync, existsSync, readFileSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { analyzeRun } from '../analysis/analyze-run.js'
import { loadBaselineForCheck } from '../baseline/baseline-for-check.js'
import type { TargetMemory } from '../analysis/leak-for-run.js'
import { CutoverError } from '../core/errors.js'
import type { MergedShard, RunResult, RunStatus, TargetSummary } from '../core/result-types.js'
import { createRunDir } from '../rundir/create-run-dir.js'
import { mergeTimelines } from '../rundir/merge-timelines.js'
import { listRunFiles, type RunDirContents } from '../rundir/read-run-dir.js'
import { rebuildResult } from '../rundir/rebuild-result.js'
import { writeResultFile } from '../rundir/result-file.js'
import { writeRunPlan, type RunPlanFile } from '../rundir/run-plan-file.js'
import { scenarioCopyFileName } from '../rundir/scenario-copy.js'
import { readShardSet, type ShardRun } from '../rundir/shard-set.js'
import { TimelineWriter, timelineFileName } from '../rundir/timeline-file.js'
import type { TimelineLine } from '../rundir/timeline-line.js'
import { ResourceSeries } from './resource-series.js'

/** What `cutover merge` was asked. */
export interface MergeOptions {
  /** The shards' run directories. */
  runDirs: string[]
  /** The merged run's directory. */
  out: string
  /** Merge what there is when shards are missing; the result is marked incomplete. */
  allowMissing?: boolean
}

/** The merged run: its result, directory and what its reports are drawn from. */
export interface MergeOutcome {
  result: RunResult
  runDir: string
  contents: RunDirContents
}

const statusRank: Record<RunStatus, number> = { completed: 0, interrupted: 1, failed: 2 }

/** The worst status among the shards: one that failed fails the run, one interrupted interrupts it. */
function worstStatus (shards: readonly ShardRun[]): RunStatus {
  return shards.map((shard) => shard.status).reduce((worst, status) => statusRank[status] > statusRank[worst] ? status : worst, 'completed')
}

/** Each shard's own generator figures per target (its result.json, else its timeline): lateness is a shard's own. */
function shardGenerator (shard: ShardRun, plan: RunPlanFile): Record<string, TargetSummary['generator']> {
  const targets = shard.result?.targets ?? rebuildResult(plan, shard.lines).targets
  return Object.fromEntries(Object.entries(targets).map(([name, summary]) => [name, summary.generator]))
}

/** Each target's memory series from the merged timeline, with the merged load beside every sample. */
function memoryOf (lines: readonly TimelineLine[], targets: string[]): TargetMemory[] {
  return targets.map((target) => {
    const series = new ResourceSeries()
    let phase = 'idle'
    for (const line of lines) {
      if (line.target !== target) continue
      if (line.phase !== 'idle') phase = line.phase
      if (line.resources !== undefined) series.add(line.t, line.resources, phase, line.throughput)
    }
    return series.memory(target)
  })
}

/** Where `checks.baseline.file` is found: beside the scenario as the shards ran it when that folder is here too, else from the current folder. */
function scenarioFolder (plan: RunPlanFile): string {
  const folder = dirname(resolve(plan.scenario.file))
  return existsSync(folder) ? folder : process.cwd()
}

/** Merges shard run directories into `out` and judges the merged run; throws MERGE_REFUSED when they are not one run. */
export function mergeShardRuns (options: MergeOptions): MergeOutcome {
  const set = readShardSet(options.runDirs, options.allowMissing === true)
  const out = resolve(options.out)
  const clash = set.shards.find((shard) => resolve(shard.runDir) === out)
  if (clash !== undefined) throw new CutoverError('USAGE', `--out ${options.out} is one of the shards: the merged run needs a folder of its own`)
  // the shard that sampled the services gives the merged run its intervals and samples
  const reference = set.shards.find((shard) => shard.shard.samples) ?? set.shards[0] as ShardRun
  const others = set.shards.filter((shard) => shard !== reference)
  const lines = mergeTimelines(reference.lines, others.map((shard) => shard.lines))
  const { shard: _own, ...settings } = reference.plan.settings
  const startAt = reference.shard.startAt
  const plan: RunPlanFile = { ...reference.plan, command: reference.plan.command, startedAt: startAt, settings }
  const runDir = createRunDir(plan.scenario.name, out, new Date(startAt))
  writeRunPlan(runDir, plan)
  const timeline = new TimelineWriter(join(runDir, timelineFileName))
  for (const line of lines) timeline.append(line)
  timeline.close()
  const scenarioCopy = join(reference.runDir, scenarioCopyFileName)
  const scenarioText = existsSync(scenarioCopy) ? readFileSync(scenarioCopy, 'utf8') : undefined
  if (scenarioText !== undefined) copyFileSync(scenarioCopy, join(runDir, scenarioCopyFileName))

  const rebuilt = rebuildResult(plan, lines)
  const merged: MergedShard[] = set.shards.map((shard) => ({ index: shard.shard.index, runDir: resolve(shard.runDir), status: shard.status, generator: shardGenerator(shard, plan) }))
  const endedAt = set.shards.map((shard) => shard.result?.endedAt ?? shard.lines.at(-1)?.ts ?? startAt).sort().at(-1) ?? startAt
  const run = {
    ...rebuilt,
    command: plan.command,
    endedAt,
    // a missing shard (--allow-missing) leaves the status to the shards there are; `incomplete` says the rest
    status: worstStatus(set.shards),
    failures: set.shards.flatMap((shard) => shard.result?.failures ?? []),
    shards: { count: set.count, merged, missing: set.missing }
  }
  if (set.missing.length === 0) delete run.incomplete
  const checks = plan.checks
  const leak = checks?.leak
  const result = analyzeRun({
    run,
    slo: plan.slo,
    leak: { memory: memoryOf(lines, Object.keys(run.targets)), maxGrowth: leak === undefined ? undefined : leak === 'auto' ? 'auto' : leak.maxGrowth },
    compare: { lines, phases: plan.phases, intervalMs: plan.settings.intervalMs, tolerances: checks?.compare ?? {} },
    ...(checks?.baseline === undefined
      ? {}
      : { baseline: { found: loadBaselineForCheck(checks.baseline, scenarioFolder(plan), runDir, plan.scenario.name), lines, plan, runDirName: basename(runDir) } })
  })
  return {
    result,
    runDir,
    contents: {
      runDir,
      result: writeResultFile(runDir, result),
      timeline: lines,
      skippedTimelineLines: 0,
      plan,
      ...(scenarioText === undefined ? {} : { scenarioText }),
      logFiles: listRunFiles(join(runDir, 'logs'), runDir)
    }
  }
}
