import { resolve } from 'node:path'
import { z } from 'zod'
import { defineMonitorSource } from '../monitor-source.js'
import { processTreeSampler } from '../process-tree-sampler.js'
import { pidFileRootPid } from '../root-pid.js'

/** `monitor: { pidFile: ./old.pid }`: the process tree of the pid the file names, read again on every sample. */
export const pidFileMonitor = defineMonitorSource('pidFile', { pidFile: z.string().min(1) },
  async (config, context) => processTreeSampler(await pidFileRootPid(resolve(context.baseDir, config.pidFile)), context))
