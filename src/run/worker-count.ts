/** `--workers N | auto` (or `workers:` in the scenario): how many threads send the load. */
import { availableParallelism } from 'node:os'
import { CutoverError } from '../core/errors.js'
import type { LoadedScenario } from '../scenario/load.js'

/**
 * The worker count: the flag over the scenario's `workers:`, 1 when neither says. `auto` is the cores of this machine
 * less one for each target cutover starts here (a service needs its core more than the generator needs a second one).
 */
export function workerCount (flag: string | undefined, scenario: LoadedScenario, names: readonly string[], cores = availableParallelism()): number {
  const asked = flag ?? scenario.config.workers
  if (asked === undefined) return 1
  if (asked === 'auto') {
    const started = names.filter((name) => scenario.config.targets[name]?.start !== undefined).length
    return Math.max(1, cores - started)
  }
  const count = typeof asked === 'number' ? asked : Number(asked)
  if (!Number.isInteger(count) || count < 1 || count > 256) throw new CutoverError('USAGE', `--workers expects a number of threads from 1 to 256, or auto, got "${String(asked)}"`)
  return count
}
