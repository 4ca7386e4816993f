/** `--shard I/N | auto`, `--start-at` and `--sampling-shard`: which share of the plan this process runs, and from when. */
import { CutoverError } from '../core/errors.js'
import { describeShare, parseShare, type PlanShare } from '../plan/share.js'
import type { ShardOptions } from '../run/run-context.js'

/** The shard flags as commander hands them over. */
export interface ShardFlags {
  shard?: string
  startAt?: string
  samplingShard?: string
}

type Env = Record<string, string | undefined>

/**
 * The share `--shard auto` finds in the environment of the engine running it: `CUTOVER_SHARD` (`2/4`, e.g. from a
 * GitHub Actions matrix), GitLab's `CI_NODE_INDEX`/`CI_NODE_TOTAL` (counted from 1), or a Kubernetes Indexed Job's
 * `JOB_COMPLETION_INDEX` (counted from 0) with `CUTOVER_SHARD_COUNT` (Kubernetes does not pass the count).
 */
export function shareFromEnvironment (env: Env): PlanShare {
  const own = env.CUTOVER_SHARD
  if (own !== undefined && own !== '') {
    const share = parseShare(own)
    if (share === undefined) throw new CutoverError('USAGE', `CUTOVER_SHARD expects I/N such as 2/4, got "${own}"`)
    return share
  }
  if (env.CI_NODE_INDEX !== undefined && env.CI_NODE_TOTAL !== undefined) {
    const share = parseShare(`${env.CI_NODE_INDEX}/${env.CI_NODE_TOTAL}`)
    if (share === undefined) throw new CutoverError('USAGE', `CI_NODE_INDEX=${env.CI_NODE_INDEX} and CI_NODE_TOTAL=${env.CI_NODE_TOTAL} are not a shard I/N`)
    return share
  }
  if (env.JOB_COMPLETION_INDEX !== undefined) {
    const count = env.CUTOVER_SHARD_COUNT
    if (count === undefined || count === '') {
      throw new CutoverError('USAGE', '--shard auto found JOB_COMPLETION_INDEX but not CUTOVER_SHARD_COUNT, how many shards there are (Kubernetes does not pass it)', { hint: 'set CUTOVER_SHARD_COUNT to the Job\'s completions in the pod\'s environment' })
    }
    const index = Number(env.JOB_COMPLETION_INDEX)
    const share = Number.isInteger(index) ? parseShare(`${index + 1}/${count}`) : undefined
    if (share === undefined) throw new CutoverError('USAGE', `JOB_COMPLETION_INDEX=${env.JOB_COMPLETION_INDEX} and CUTOVER_SHARD_COUNT=${count} are not a shard`)
    return share
  }
  throw new CutoverError('USAGE', '--shard auto found no shard in the environment', {
    hint: 'set CUTOVER_SHARD=I/N, or run it as a GitLab parallel job (CI_NODE_INDEX, CI_NODE_TOTAL) or a Kubernetes Indexed Job with CUTOVER_SHARD_COUNT'
  })
}

/** The shard this process runs, from `--shard`, `--start-at` (or `CUTOVER_START_AT`) and `--sampling-shard`; undefined without `--shard`. */
export function shardOptions (flags: ShardFlags, env: Env): ShardOptions | undefined {
  if (flags.shard === undefined) {
    if (flags.startAt !== undefined || flags.samplingShard !== undefined) throw new CutoverError('USAGE', '--start-at and --sampling-shard go with --shard')
    return undefined
  }
  const share = flags.shard === 'auto' ? shareFromEnvironment(env) : parseShare(flags.shard)
  if (share === undefined) throw new CutoverError('USAGE', `--shard expects I/N such as 2/4 (counted from 1), or auto, got "${flags.shard}"`)
  const startText = flags.startAt ?? env.CUTOVER_START_AT
  if (startText === undefined || startText === '') {
    throw new CutoverError('USAGE', `--shard ${describeShare(share)} needs --start-at <ISO time> (or CUTOVER_START_AT), the moment every shard starts its load`, { hint: 'e.g. --start-at 2026-12-07T10:00:00Z, a minute or two ahead' })
  }
  const startAt = new Date(startText)
  if (!/^\d{4}-\d\d-\d\dT/.test(startText) || Number.isNaN(startAt.getTime())) throw new CutoverError('USAGE', `--start-at expects an ISO 8601 time such as 2026-12-07T10:00:00Z, got "${startText}"`)
  const sampling = flags.samplingShard === undefined ? 1 : Number(flags.samplingShard)
  if (!Number.isInteger(sampling) || sampling < 1 || sampling > share.count) throw new CutoverError('USAGE', `--sampling-shard expects a shard from 1 to ${share.count}, got "${flags.samplingShard ?? ''}"`)
  return { share, startAt, samples: sampling === share.index + 1 }
}
