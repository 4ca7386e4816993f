import { PidusageSampler } from './pidusage-sampler.js'
import { ProcTreeSampler } from './proc-tree-sampler.js'
import type { RootPid } from './root-pid.js'
import type { SamplerContext } from './monitor-source.js'
import type { Sampler } from './sampler.js'

/** The sampler of a process tree: read from `/proc` on Linux, through pidusage elsewhere. */
export function processTreeSampler (root: RootPid, context: Pick<SamplerContext, 'platform' | 'clock'>): Promise<Sampler> {
  const clock = context.clock === undefined ? {} : { clock: context.clock }
  return context.platform === 'linux' ? ProcTreeSampler.create(root, clock) : PidusageSampler.create(root, clock)
}
