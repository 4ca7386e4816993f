import { CutoverError } from '../core/errors.js'
import { createSampler } from '../sampling/create-sampler.js'
import type { Sampler } from '../sampling/sampler.js'
import { cpuListProblem } from '../targets/cpu-pinning.js'
import { ManagedService } from '../targets/managed-service.js'
import { isListening } from '../targets/readiness.js'
import type { LoadedScenario } from '../scenario/load.js'
import type { ProgressSink } from './progress.js'

/** What starting a target needs from the run. */
export interface TargetStartInput {
  name: string
  scenario: LoadedScenario
  runDir: string
  progress: ProgressSink
  /** cutover's own environment. */
  env: Record<string, string | undefined>
  /** Aborted on Ctrl-C: a service still starting is handed back as it is. */
  signal: AbortSignal
  intervalMs: number
}

/**
 * Starts the target's service when the scenario says how (`died` is told if it exits by itself later) and returns it,
 * or checks that something answers at its URL. Throws a `TARGET_*` CutoverError when it cannot.
 */
export async function startTarget (input: TargetStartInput, died: (detail: string, error: CutoverError) => void): Promise<ManagedService | undefined> {
  const { name, scenario, progress } = input
  const config = scenario.config.targets[name]
  const resolved = scenario.targets[name]
  if (config === undefined || resolved === undefined) throw new Error(`unknown target ${name}`)
  const start = config.start
  let service: ManagedService | undefined
  if (start !== undefined) {
    const coresProblem = start.cpus === undefined ? undefined : cpuListProblem(start.cpus)
    if (coresProblem !== undefined) throw new CutoverError('TARGET_START_FAILED', `target "${name}": start.cpus "${start.cpus ?? ''}": ${coresProblem}`)
    service = await ManagedService.start({
      name, config: { ...config, start }, url: resolved.url, startEnv: resolved.env, scenarioDir: scenario.dir, runDir: input.runDir,
      intervalMs: input.intervalMs, env: input.env, signal: input.signal, say: (text) => progress.message(text)
    })
    const logFile = service.logFile
    service.onUnexpectedExit((exit) => {
      const detail = exit.signal !== null ? `killed by ${exit.signal}` : `exited with code ${String(exit.code)}`
      died(detail, new CutoverError('TARGET_DIED', `target "${name}" ${detail} during the run`, { hint: `see its output in ${logFile}` }))
    })
  } else if (config.profile !== undefined) {
    throw new CutoverError('TARGET_START_FAILED', `target "${name}": profile: ${config.profile} needs a start: command, so cutover can run the service under clinic`)
  } else if (!(await isListening(resolved.url))) {
    throw new CutoverError('TARGET_UNREACHABLE', `target "${name}": nothing answers at ${resolved.url.host}`, { hint: 'start the service first, or give the target a start: command' })
  }
  return service
}

/** The sampler of the target's CPU and memory (see createSampler); throws `TARGET_UNREACHABLE` when its source cannot be read. */
export async function samplerFor (input: TargetStartInput, service: ManagedService | undefined): Promise<Sampler | undefined> {
  return await createSampler(input.scenario.config.targets[input.name]?.monitor, service?.pid, { intervalMs: input.intervalMs, baseDir: input.scenario.dir })
}
