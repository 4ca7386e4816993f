import { z } from 'zod'
import { defineMonitorSource } from '../monitor-source.js'
import { PrometheusSampler } from '../prometheus-sampler.js'

/** `monitor: { prometheus: URL, metrics: [...] }`: a service's own metrics endpoint. */
export const prometheusMonitor = defineMonitorSource('prometheus', {
  prometheus: z.url(),
  metrics: z.array(z.string()).optional().describe('Extra metric names to record')
}, async (config, context) => PrometheusSampler.create(config.prometheus, {
  timeoutMs: Math.max(500, context.intervalMs),
  metrics: config.metrics ?? [],
  ...(context.clock === undefined ? {} : { clock: context.clock })
}))
