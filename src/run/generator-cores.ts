/**
 * Where the load generator runs when services have cores of their own (`start.cpus`): on the cores they leave, so the
 * two never take turns on one core. Without `start.cpus`, a short note where that matters most (capacity on a small
 * machine).
 */
import { availableParallelism } from 'node:os'
import { formatCpuList, parseCpuList } from '../core/cpu-list.js'
import { thrownMessage } from '../core/thrown-message.js'
import type { LoadedScenario } from '../scenario/load.js'
import { coresLeft, pinThisProcess } from '../targets/cpu-pinning.js'

/** The cores the started targets among `names` asked for with `start.cpus`, together. */
export function coresTaken (scenario: LoadedScenario, names: readonly string[]): number[] {
  const taken = new Set<number>()
  for (const name of names) {
    const cpus = scenario.config.targets[name]?.start?.cpus
    if (cpus !== undefined) for (const core of parseCpuList(cpus)) taken.add(core)
  }
  return [...taken].sort((a, b) => a - b)
}

/** The targets among `names` that cutover starts without `start.cpus`: they may run on any core. */
export function startedUnpinned (scenario: LoadedScenario, names: readonly string[]): string[] {
  return names.filter((name) => {
    const start = scenario.config.targets[name]?.start
    return start !== undefined && start.cpus === undefined
  })
}

/**
 * Moves cutover onto the cores the services left (every thread, and the worker threads it starts later) and says
 * where each runs; says why when it cannot.
 */
export function keepGeneratorOffServiceCores (scenario: LoadedScenario, names: readonly string[], say: (text: string) => void): void {
  const taken = coresTaken(scenario, names)
  if (taken.length === 0) return
  const left = coresLeft(taken)
  if (left.length === 0) {
    say(`start.cpus gives the services every core (${formatCpuList(taken)}): the load generator shares them`)
    return
  }
  try {
    pinThisProcess(left)
  } catch (error) {
    say(`could not keep the load generator on cores ${formatCpuList(left)} (${thrownMessage(error)}): it may share the services' cores`)
    return
  }
  const where = names.flatMap((name) => {
    const cpus = scenario.config.targets[name]?.start?.cpus
    return cpus === undefined ? [] : [`${name} on ${cpus}`]
  })
  say(`the load generator runs on core${left.length === 1 ? '' : 's'} ${formatCpuList(left)}; ${where.join(', ')}`)
}

/** Machines with fewer cores than this get the note below: on more, the scheduler has room to keep them apart. */
const fewCores = 8

/**
 * A note for `cutover capacity` when services it starts share a small machine's cores with the generator: a CPU-bound
 * service's ceiling is then the pair's, and two services' ratio can come out wrong. Undefined when there is nothing to say.
 */
export function sharedCoresNote (scenario: LoadedScenario, names: readonly string[], cores = availableParallelism()): string | undefined {
  if (cores >= fewCores) return undefined
  const unpinned = startedUnpinned(scenario, names)
  if (unpinned.length === 0) return undefined
  return `${unpinned.join(' and ')} ${unpinned.length === 1 ? 'shares' : 'share'} this machine's ${cores} cores with the load generator: a service that uses CPU is then measured ` +
    'together with the generator, and two services\' ratio can come out wrong. Give each target start.cpus (e.g. "1") to keep them apart'
}
