/** The registry of `monitor` sources: the scenario schema, its type and `createSampler` all derive from this list. */
import { z } from 'zod'
import { size } from '../core/unit-schemas.js'
import { cgroupMonitor } from './monitors/cgroup.js'
import { pidFileMonitor } from './monitors/pid-file.js'
import { pidMonitor } from './monitors/pid.js'
import { prometheusMonitor } from './monitors/prometheus.js'

/** Every source a target's `monitor` block can name; a new one is a file under monitors/ and a line here. */
export const monitorSources = [pidMonitor, pidFileMonitor, prometheusMonitor, cgroupMonitor] as const

/** A `monitor` block naming no source: only the memory limit, the started process tree is sampled. */
const limitOnly = z.strictObject({ memoryLimit: size })

/** Each source's schema, in the registry's order (a tuple type, so the union below keeps every member's type). */
type SchemasOf<Sources extends readonly unknown[]> = { [K in keyof Sources]: Sources[K] extends { schema: infer Schema } ? Schema : never }
const sourceSchemas = monitorSources.map((source) => source.schema) as unknown as SchemasOf<typeof monitorSources>

/** Where CPU and memory are read from (the `monitor` block of a target). */
export const monitorSchema = z.union([...sourceSchemas, limitOnly])
  .describe('How CPU and memory are sampled; default: the process tree that `start` launched')

/** The key of each registered source: `pid`, `pidFile`, `prometheus`, `cgroup`. */
export type MonitorSourceKey = (typeof monitorSources)[number]['key']

/** A target's `monitor` block once the scenario is parsed (sizes already in bytes). */
export type MonitorConfig = z.output<typeof monitorSchema>
