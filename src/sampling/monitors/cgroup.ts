import { z } from 'zod'
import { CgroupSampler } from '../cgroup-sampler.js'
import { defineMonitorSource } from '../monitor-source.js'

/** `monitor: { cgroup: PATH }`: a container's cgroup v2 files. */
export const cgroupMonitor = defineMonitorSource('cgroup', { cgroup: z.string().min(1) },
  async (config, context) => CgroupSampler.create(config.cgroup, { baseDir: context.baseDir, ...(context.clock === undefined ? {} : { clock: context.clock }) }))
