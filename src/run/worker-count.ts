/** `--workers N | auto` (or `workers:` in the scenario): how many threads send the load. */
import { availableParallelism } from 'node:os'
import { CutoverError } from '../core/errors.js'
import type { LoadedScenario } from '../scenario/load.js'
import { coresTaken, startedUnpinned } from './generator-cores.js'

/**
 * The worker count: the flag over the scenario's `workers:`, 1 when neither says. `auto` is the cores of this machine
 * less those the targets' `start.cpus` take and one for each other target cutover starts here (a service needs its
 * core more than the generator needs a second one).
 */
export function workerCount (flag: string | undefined, scenario: LoadedScenario, names: readonly string[], cores = availableParallelism()): number {
  const asked = flag ?? scenario.config.workers
  if (asked === undefined) return 1
  if (asked === 'auto') {
    // services with start.cpus take those cores; every other service cutover starts, one core each
    return Math.max(1, cores - coresTaken(scenario, names).length - startedUnpinned(scenario, names).length)
  }
  const count = typeof asked === 'number' ? asked : Number(asked)
  if (!Number.isInteger(count) || count < 1 || count > 256) throw new CutoverError('USAGE', `--workers expects a number of threads from 1 to 256, or auto, got "${String(asked)}"`)
  return count
}
