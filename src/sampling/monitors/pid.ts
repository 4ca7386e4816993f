import { z } from 'zod'
import { defineMonitorSource } from '../monitor-source.js'
import { processTreeSampler } from '../process-tree-sampler.js'
import { fixedRootPid } from '../root-pid.js'

/** `monitor: { pid: 1234 }`: the process tree of a service started elsewhere on this host. */
export const pidMonitor = defineMonitorSource('pid', { pid: z.number().int().positive() },
  async (config, context) => processTreeSampler(fixedRootPid(config.pid), context))
