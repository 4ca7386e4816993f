import { z } from 'zod'
import { duration } from '../../core/unit-schemas.js'
import { monitorSchema } from '../../sampling/monitors.js'
import { cpuListPattern, rangesRunForward } from '../../core/cpu-list.js'

/** How cutover starts a service itself and knows it is ready. */
export const startSchema = z.strictObject({
  command: z.string().min(1).describe('Shell command that starts the service'),
  env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).optional()
    .describe('Environment variables added to cutover\'s own'),
  cwd: z.string().optional().describe('Working directory, relative to the scenario file'),
  ready: z.string().startsWith('/').optional().describe('Path polled until it answers 2xx; without it, the port is polled until it accepts connections'),
  readyTimeout: duration.optional().describe('How long to wait for readiness (default 30s)'),
  stopGrace: duration.optional().describe('Time between SIGTERM and SIGKILL when stopping (default 5s)'),
  cpus: z.string().regex(cpuListPattern, 'expected a CPU list such as "1", "2-3" or "0,2-3"')
    .refine(rangesRunForward, 'a range of cores runs from low to high, as in "2-3"').optional()
    .describe('Linux: the cores the service runs on (a CPU list such as "1" or "2-3", set with taskset); cutover then keeps its load generator on the other cores'),
  heap: z.boolean().optional().describe('Node services: measure the live V8 heap after major garbage collections (a preloaded probe; on by default, off under `profile`; false turns it off); the leak analysis then judges the heap')
})

/** One service under test. */
export const targetSchema = z.strictObject({
  url: z.string().min(1).describe('Base URL, e.g. http://127.0.0.1:3001; templates such as {{ env("PORT") }} allowed'),
  start: startSchema.optional(),
  monitor: monitorSchema.optional(),
  profile: z.enum(['doctor', 'heapprofiler', 'flame']).optional().describe('Run the start command under this Clinic.js tool'),
  headers: z.record(z.string(), z.string()).optional().describe('Headers sent with every request to this target')
})

export type TargetInput = z.input<typeof targetSchema>
