/** What a source of CPU and memory figures declares: the key that picks it in `monitor`, its settings, and its sampler. */
import { z } from 'zod'
import { size } from '../core/unit-schemas.js'
import type { Sampler } from './sampler.js'

/** What every sampler is created with. */
export interface SamplerContext {
  /** The sampling interval; a Prometheus scrape may take this long (at least 500 ms) before it counts as missing. */
  intervalMs: number
  /** Folder relative `pidFile` and `cgroup` paths are taken from: the scenario file's. */
  baseDir: string
  /** Decides between `/proc` (linux) and pidusage. */
  platform: NodeJS.Platform
  /** Monotonic milliseconds; `performance.now` unless a test fixes time. */
  clock?: (() => number) | undefined
}

/** A `monitor` source: `monitor: { <key>: ..., ...its other settings, memoryLimit? }`. */
export interface MonitorSource<Key extends string = string, Shape extends z.ZodRawShape = z.ZodRawShape> {
  /** The key that picks this source in a target's `monitor` block. */
  readonly key: Key
  /** The block's schema: its own settings plus the optional `memoryLimit` every source takes. */
  readonly schema: z.ZodObject<Shape & { memoryLimit: z.ZodOptional<typeof size> }, z.core.$strict>
  /** The sampler for a parsed block; throws `TARGET_UNREACHABLE` when the source cannot be read now. */
  readonly create: (config: z.output<z.ZodObject<Shape>>, context: SamplerContext) => Promise<Sampler>
}

/** Declares a `monitor` source from its key, its settings (the key's own included) and how its sampler is made. */
export function defineMonitorSource<Key extends string, Shape extends z.ZodRawShape & Record<Key, z.ZodType>> (
  key: Key,
  shape: Shape,
  create: (config: z.output<z.ZodObject<Shape>>, context: SamplerContext) => Promise<Sampler>
): MonitorSource<Key, Shape> {
  return { key, schema: z.strictObject({ ...shape, memoryLimit: size.optional() }), create }
}
