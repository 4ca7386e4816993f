/** What every resource sampler returns, and the contract it keeps. */

/** CPU and memory of one monitored service at one moment. */
export interface ResourceSample {
  /** Resident memory of the whole process tree (or cgroup / exporter figure), in bytes. */
  rssBytes: number
  /** CPU used since the previous sample, in percent of one core (200 = two cores busy). */
  cpuPercent: number
  /** Used JavaScript heap, when the source reports it (Prometheus `nodejs_heap_size_used_bytes`). */
  heapBytes?: number
  /** The heap's committed size (V8 total_heap_size; Prometheus `nodejs_heap_size_total_bytes`): RSS less this is memory outside the heap. */
  heapCommittedBytes?: number
  /** Number of processes counted (process tree, cgroup). */
  processes?: number
  /** Extra named figures, e.g. Prometheus metrics listed in `monitor.metrics`. */
  extra?: Record<string, number>
  /** The memory the service may use: `monitor.memoryLimit`, else cgroup `memory.max`. */
  memoryLimitBytes?: number
}

/** Where samplers get their figures from; for reports and error messages. */
export type SamplerKind = 'process-tree' | 'pidusage' | 'prometheus' | 'cgroup'

/** Reads CPU and memory of one service, one sample per call. */
export interface Sampler {
  readonly kind: SamplerKind
  /** What is sampled, in words: `process tree of pid 1234`, `http://host:9100/metrics`. */
  readonly source: string
  /** The next sample; undefined when the service is gone (process exited, endpoint unreachable). */
  sample: () => Promise<ResourceSample | undefined>
  /** Releases what the sampler holds (connections); idempotent. */
  close: () => Promise<void>
}

/** Makes overlapping calls of `read` wait for each other, so deltas are taken in order. */
export function oneAtATime<T> (read: () => Promise<T>): () => Promise<T> {
  let last: Promise<unknown> = Promise.resolve()
  return () => {
    const next = last.then(read, read)
    last = next.catch(() => undefined)
    return next
  }
}
