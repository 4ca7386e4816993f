/** Finds the runs of a history: run directories (their result.json and timeline) and stored baseline files. */

import { existsSync, readdirSync, statSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { CutoverError, isCutoverError } from '../core/errors.js'
import type { HistoryRun } from '../analysis/history/history-series.js'
import { snapshotRun } from '../analysis/baseline/snapshot-run.js'
import { readRunDir } from '../rundir/read-run-dir.js'
import { hasResultFile } from '../rundir/result-file.js'
import { loadBaseline } from './load-baseline.js'
import { baselineFileName, baselinePath } from './save-baseline.js'

/** What to keep of what was found. */
export interface HistorySourceOptions {
  /** Only runs of this scenario; default the scenario with the most runs. */
  scenario?: string | undefined
  /** Keep the newest this many runs. */
  last?: number | undefined
  /** The accepted baseline's file: its run is marked (or it is added as a run of its own); default baselines/<scenario>.json when it exists. */
  acceptedBaseline?: string | undefined
}

/** The runs found, and what was passed over with why. */
export interface HistorySources {
  scenario: string
  runs: HistoryRun[]
  /** Paths that could not be read, runs that did not complete, runs of other scenarios. */
  skipped: Array<{ path: string, why: string }>
}

function readOne (path: string, accepted: string | undefined): HistoryRun {
  if (statSync(path).isDirectory()) {
    const contents = readRunDir(path)
    const snapshot = snapshotRun({ result: contents.result, lines: contents.timeline, plan: contents.plan, runDirName: basename(contents.runDir) })
    return { label: basename(contents.runDir), path, source: 'run', accepted: false, snapshot }
  }
  const baseline = loadBaseline(path)
  const { schemaVersion: _version, kind: _kind, savedAt: _saved, tool: _tool, ...snapshot } = baseline
  return { label: basename(path), path, source: 'baseline', accepted: accepted !== undefined && resolve(path) === accepted, snapshot }
}

/** Run directories and `.json` files in `path` (itself, when it is a run directory or a file). */
function candidates (path: string): string[] {
  if (!existsSync(path)) throw new CutoverError('RUN_DIR_INVALID', `${path} does not exist`, { hint: 'pass the folder of your runs (reports/) or of your baselines (baselines/)' })
  if (!statSync(path).isDirectory() || hasResultFile(path)) return [path]
  return readdirSync(path).sort().map((name) => join(path, name)).filter((entry) => {
    const stats = statSync(entry)
    return stats.isDirectory() ? hasResultFile(entry) : entry.toLowerCase().endsWith('.json')
  })
}

/**
 * Reads every run directory and baseline file in `paths` (folders are searched one level deep), keeps the runs of
 * one scenario that completed, marks the accepted baseline, and keeps the newest `last`. Throws `RUN_DIR_INVALID`
 * when nothing usable was found.
 */
export function readHistorySources (paths: readonly string[], options: HistorySourceOptions = {}): HistorySources {
  const given = options.acceptedBaseline === undefined ? undefined : resolve(options.acceptedBaseline)
  if (given !== undefined && !existsSync(given)) throw new CutoverError('BASELINE_MISSING', `no baseline at ${options.acceptedBaseline}`, { hint: 'pass the file checks.baseline compares with, e.g. baselines/<scenario>.json' })
  const skipped: HistorySources['skipped'] = []
  const found: HistoryRun[] = []
  const read = (path: string, accepted: string | undefined): void => {
    try {
      const run = readOne(path, accepted)
      if (run.snapshot.source.status !== 'completed') skipped.push({ path, why: `the run did not complete (${run.snapshot.source.status})` })
      else found.push(run)
    } catch (error) {
      if (!isCutoverError(error)) throw error
      skipped.push({ path, why: error.message })
    }
  }
  const files = [...new Set([...paths.flatMap(candidates), ...(given === undefined ? [] : [given])].map((path) => resolve(path)))]
  for (const path of files) read(path, given)
  const counts = new Map<string, number>()
  for (const run of found) counts.set(run.snapshot.scenario.name, (counts.get(run.snapshot.scenario.name) ?? 0) + 1)
  const scenario = options.scenario ?? [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0]
  if (scenario === undefined || !counts.has(scenario)) {
    const seen = [...counts.keys()].join(', ')
    throw new CutoverError('RUN_DIR_INVALID', `no completed run${options.scenario === undefined ? '' : ` of scenario "${options.scenario}"`} found in ${paths.join(', ')}${seen === '' ? '' : ` (found runs of: ${seen})`}`, {
      hint: 'pass folders holding run directories written by `cutover run` (reports/) or baseline files (baselines/)'
    })
  }
  // without --baseline, the accepted one is the file checks.baseline uses by default: <scenario>.json among the
  // baselines given, else baselines/<scenario>.json in the working folder, when it exists
  if (given === undefined) {
    const named = found.find((run) => run.source === 'baseline' && run.label === baselineFileName(scenario) && run.snapshot.scenario.name === scenario)
    const usual = resolve(baselinePath(scenario))
    if (named !== undefined) named.accepted = true
    else if (existsSync(usual) && !files.includes(usual)) read(usual, usual)
  }
  const runs = withoutSavedTwice(found)
  for (const run of runs) if (run.snapshot.scenario.name !== scenario) skipped.push({ path: run.path, why: `another scenario ("${run.snapshot.scenario.name}")` })
  const ofScenario = runs.filter((run) => run.snapshot.scenario.name === scenario)
    .sort((a, b) => Date.parse(a.snapshot.source.startedAt) - Date.parse(b.snapshot.source.startedAt))
  const last = options.last === undefined ? ofScenario : ofScenario.slice(-options.last)
  // the accepted baseline stays even when it is older than the newest `last` runs: it is what they are judged by
  const kept = ofScenario.filter((run) => last.includes(run) || run.accepted)
  return { scenario, runs: kept, skipped }
}

/** A baseline saved from a run that is here too marks that run instead of standing beside it. */
function withoutSavedTwice (found: readonly HistoryRun[]): HistoryRun[] {
  const runs: HistoryRun[] = []
  for (const run of found) {
    if (run.source === 'baseline') {
      const same = found.find((other) => other.source === 'run' && other.label === run.snapshot.source.runDir && other.snapshot.source.startedAt === run.snapshot.source.startedAt)
      if (same !== undefined) {
        same.accepted = same.accepted || run.accepted
        continue
      }
    }
    runs.push(run)
  }
  return runs
}
