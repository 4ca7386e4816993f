import { existsSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative } from 'node:path'
import { CutoverError } from '../core/errors.js'

/** The Clinic.js tools a target can be profiled with. */
export type ClinicTool = 'doctor' | 'heapprofiler' | 'flame'

/** How long clinic may take to analyse and write its report after the service stops. */
export const clinicGraceMs = 120_000

/** Path of clinic's command-line entry, or undefined when clinic is not installed. */
export function findClinic (): string | undefined {
  try {
    return createRequire(import.meta.url).resolve('clinic/bin.js')
  } catch {
    return undefined
  }
}

/**
 * The start command wrapped in `clinic <tool>`. Clinic profiles a node process it starts itself, so the
 * command must run node directly (`node server.js ...`), not through npm or a shell script.
 */
export function clinicCommand (target: string, tool: ClinicTool, command: string, dest: string): { command: string, env: Record<string, string> } {
  const clinic = findClinic()
  if (clinic === undefined) {
    throw new CutoverError('TARGET_START_FAILED', `target "${target}" asks for profile: ${tool}, but Clinic.js is not installed`, {
      hint: 'install it next to cutover with `npm install clinic` (it is optional), or remove profile: from the target'
    })
  }
  if (!/^\s*node(\s|$)/.test(command)) {
    throw new CutoverError('TARGET_START_FAILED', `target "${target}": profile: ${tool} needs a start command that runs node directly, such as "node server.js", not "${command}"`, {
      hint: 'clinic starts and instruments the node process itself; point start.command at node and your entry file'
    })
  }
  return {
    // exec: the shell becomes clinic, so SIGINT reaches clinic itself
    command: `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(clinic)} ${tool} --open=false --dest ${JSON.stringify(dest)} -- ${command}`,
    // without a terminal clinic's usage-statistics prompt never resolves and it silently produces nothing
    env: { NO_INSIGHT: '1' }
  }
}

/** The HTML report clinic wrote into `dest`, relative to `runDir`; undefined when there is none. */
export function clinicOutput (dest: string, runDir: string): string | undefined {
  if (!existsSync(dest)) return undefined
  const html = readdirSync(dest).filter((name) => name.endsWith('.html')).sort().at(-1)
  return html === undefined ? undefined : relative(runDir, join(dest, html))
}
