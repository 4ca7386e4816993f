import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Command } from 'commander'
import { isCutoverError } from '../../core/errors.js'
import { parseScenario, type LoadedScenario, type LoadOptions } from '../../scenario/load.js'
import { bindHooks } from '../../scenario/bind-hooks.js'
import { openScenario } from '../../scenario/open-scenario.js'
import { parseSetFlag, parseUrlFlag } from '../../scenario/overrides.js'
import { environmentWith } from '../env-option.js'
import { withScenarioFlags, type ScenarioFlags } from '../scenario-option.js'
import { exitCodeForError } from '../exit-codes.js'

/** What `cutover validate` takes besides the files. */
export interface ValidateOptions extends ScenarioFlags {
  json?: boolean
}

/**
 * `-` is the scenario on stdin, located as `<stdin>` with relative paths from the current folder. The hooks module is
 * imported to check the hooks requests name (its code runs; setup() does not).
 */
async function load (file: string, options: LoadOptions): Promise<LoadedScenario> {
  if (file !== '-') return await openScenario(file, options)
  const loaded = parseScenario(readFileSync(0, 'utf8'), join(process.cwd(), '<stdin>'), options)
  await bindHooks(loaded)
  return loaded
}

const summaryOf = (file: string, scenario: LoadedScenario): { file: string, targets: number, requests: number, journeys: number, phases: number } => ({
  file,
  targets: Object.keys(scenario.config.targets).length,
  requests: (scenario.config.requests ?? []).length,
  journeys: (scenario.config.journeys ?? []).length,
  phases: scenario.config.phases.length
})

/** Validates scenario files (`-`: stdin); throws the first invalid one's CutoverError, or with `json` prints every outcome as JSON. */
export async function validateCommand (files: string[], options: ValidateOptions = {}): Promise<number> {
  const env = environmentWith(options.env)
  const loadOptions: LoadOptions = { env, overrides: [...(options.set ?? []).map(parseSetFlag), ...(options.url ?? []).map(parseUrlFlag)] }
  if (options.json !== true) {
    for (const file of files) {
      const s = summaryOf(file, await load(file, loadOptions))
      process.stdout.write(`ok: ${file} — ${s.targets} target(s), ${s.requests} request(s), ${s.journeys} journey(s), ${s.phases} phase(s)\n`)
    }
    return 0
  }
  let code = 0
  const outcomes = []
  for (const file of files) {
    outcomes.push(await outcomeOf(file, loadOptions).catch((error: unknown) => {
      if (!isCutoverError(error)) throw error
      code = Math.max(code, exitCodeForError(error.code))
      const problems = error.issues.length > 0
        ? error.issues.map((issue) => ({ ...issue.location, message: issue.message }))
        : [{ file, message: error.message }]
      return { ok: false, file, code: error.code, message: error.message, ...(error.hint === undefined ? {} : { hint: error.hint }), problems }
    }))
  }
  process.stdout.write(`${JSON.stringify({ ok: code === 0, scenarios: outcomes }, null, 2)}\n`)
  return code
}

async function outcomeOf (file: string, options: LoadOptions): Promise<Record<string, unknown>> {
  return { ok: true, ...summaryOf(file, await load(file, options)) }
}
/** Registers `cutover validate`. */
export function registerValidate (program: Command, setExit: (code: number) => void): void {
  withScenarioFlags(program.command('validate')
    .description('check scenario files and report every problem with file, line, column and field')
    .argument('<scenario...>', 'scenario files (- reads one from stdin)')
    .option('--json', 'print every file\'s outcome and problems as JSON on stdout'))
    .action(async (files: string[], options: ValidateOptions) => { setExit(await validateCommand(files, options)) })
}
