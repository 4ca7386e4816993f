import type { Command } from 'commander'
import { loadScenario } from '../../scenario/load.js'

/** Validates scenario files; throws the first invalid one's CutoverError. */
export function validateCommand (files: string[]): number {
  for (const file of files) {
    const scenario = loadScenario(file)
    const config = scenario.config
    process.stdout.write(`ok: ${file} — ${Object.keys(config.targets).length} target(s), ${(config.requests ?? []).length} request(s), ` +
      `${(config.journeys ?? []).length} journey(s), ${config.phases.length} phase(s)\n`)
  }
  return 0
}

/** Registers `cutover validate`. */
export function registerValidate (program: Command, setExit: (code: number) => void): void {
  program.command('validate')
    .description('check scenario files and report every problem with file, line, column and field')
    .argument('<scenario...>', 'scenario files')
    .action((files: string[]) => { setExit(validateCommand(files)) })
}
