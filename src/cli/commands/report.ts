import { existsSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Command } from 'commander'
import { CutoverError } from '../../core/errors.js'
import type { RunResult } from '../../core/result-types.js'
import { readTimeline, rebuildResult } from '../../report/rebuild-result.js'
import { summaryTable } from '../../report/summary-table.js'
import { writeReports } from '../../report/write-reports.js'
import { readRunPlan } from '../../run/run-plan-file.js'
import { writeJsonAtomic } from '../../run/run-scenario.js'

/** Re-renders the reports of a run directory; rebuilds result.json from the timeline when cutover was killed before writing it. */
export async function reportCommand (dir: string): Promise<number> {
  const runDir = resolve(dir)
  if (!existsSync(runDir) || !statSync(runDir).isDirectory()) {
    throw new CutoverError('USAGE', `not a run directory: ${dir}`, { hint: 'pass a folder under reports/ written by cutover run' })
  }
  const resultPath = join(runDir, 'result.json')
  let result: RunResult
  if (existsSync(resultPath)) {
    try {
      result = JSON.parse(readFileSync(resultPath, 'utf8')) as RunResult
    } catch {
      throw new CutoverError('USAGE', `${resultPath} is not valid JSON`, { hint: 'delete it to rebuild it from timeline.ndjson' })
    }
  } else {
    const plan = readRunPlan(runDir)
    if (plan === undefined) throw new CutoverError('USAGE', `${dir} has neither result.json nor run.json`, { hint: 'pass a folder written by cutover run' })
    result = rebuildResult(plan, readTimeline(runDir))
    writeJsonAtomic(resultPath, result)
    process.stderr.write('result.json was missing: rebuilt from timeline.ndjson and marked incomplete\n')
  }
  const { files } = await writeReports(runDir)
  process.stdout.write(`${summaryTable(result)}\n`)
  for (const file of files) process.stdout.write(`wrote ${file}\n`)
  return 0
}

/** Registers `cutover report`. */
export function registerReport (program: Command, setExit: (code: number) => void): void {
  program.command('report')
    .description('re-render report.html, charts, summary.md and junit.xml of a run directory (rebuilds result.json after a crash)')
    .argument('<run-dir>', 'a run directory')
    .action(async (dir: string) => { setExit(await reportCommand(dir)) })
}
