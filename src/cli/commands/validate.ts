import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Command } from 'commander'
import { isCutoverError } from '../../core/errors.js'
import { loadScenario, parseScenario, type LoadedScenario } from '../../scenario/load.js'
import { collectPairs, environmentWith } from '../env-option.js'
import { exitCodeForError } from '../exit-codes.js'

/** What `cutover validate` takes besides the files. */
export interface ValidateOptions {
  json?: boolean
  env?: string[]
}

/** `-` is the scenario on stdin, located as `<stdin>` with relative paths from the current folder. */
function load (file: string, env: Record<string, string | undefined>): LoadedScenario {
  if (file !== '-') return loadScenario(file, { env })
  return parseScenario(readFileSync(0, 'utf8'), join(process.cwd(), '<stdin>'), { env })
}

const summaryOf = (file: string, scenario: LoadedScenario): { file: string, targets: number, requests: number, journeys: number, phases: number } => ({
  file,
  targets: Object.keys(scenario.config.targets).length,
  requests: (scenario.config.requests ?? []).length,
  journeys: (scenario.config.journeys ?? []).length,
  phases: scenario.config.phases.length
})

/** Validates scenario files (`-`: stdin); throws the first invalid one's CutoverError, or with `json` prints every outcome as JSON. */
export function validateCommand (files: string[], options: ValidateOptions = {}): number {
  const env = environmentWith(options.env)
  if (options.json !== true) {
    for (const file of files) {
      const s = summaryOf(file, load(file, env))
      process.stdout.write(`ok: ${file} — ${s.targets} target(s), ${s.requests} request(s), ${s.journeys} journey(s), ${s.phases} phase(s)\n`)
    }
    return 0
  }
  let code = 0
  const outcomes = files.map((file) => {
    try {
      return { ok: true, ...summaryOf(file, load(file, env)) }
    } catch (error) {
      if (!isCutoverError(error)) throw error
      code = Math.max(code, exitCodeForError(error.code))
      const problems = error.issues.length > 0
        ? error.issues.map((issue) => ({ ...issue.location, message: issue.message }))
        : [{ file, message: error.message }]
      return { ok: false, file, code: error.code, message: error.message, ...(error.hint === undefined ? {} : { hint: error.hint }), problems }
    }
  })
  process.stdout.write(`${JSON.stringify({ ok: code === 0, scenarios: outcomes }, null, 2)}\n`)
  return code
}

/** Registers `cutover validate`. */
export function registerValidate (program: Command, setExit: (code: number) => void): void {
  program.command('validate')
    .description('check scenario files and report every problem with file, line, column and field')
    .argument('<scenario...>', 'scenario files (- reads one from stdin)')
    .option('--json', 'print every file\'s outcome and problems as JSON on stdout')
    .option('-e, --env <KEY=VALUE>', 'a value env() reads in the scenario, over the environment (repeatable)', collectPairs)
    .action((files: string[], options: ValidateOptions) => { setExit(validateCommand(files, options)) })
}
