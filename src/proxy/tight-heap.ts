/**
 * A proxy that runs for days keeps its heap close to what it holds. V8 lets the old generation grow to up to four
 * times what survived the last full collection before it collects again; a proxy's callers and mirror allocate
 * about 30 KB a request, some of it living long enough to be promoted, so at 2,000 req/s in mirror mode its heap
 * swung between 30 and 230 MB (bench:proxy's soak: peak RSS 309 MB) and each full collection of that much paused
 * every caller for up to 37 ms. Held to 1.5 times, the same soak peaked at 164 MB and the pauses at 16 ms, for a
 * full collection every 2–3 s instead of every 4 (Node 20, --trace-gc-nvp).
 */
import { setFlagsFromString } from 'node:v8'

/** How far the heap may grow past what the last full collection kept, in percent. */
export const proxyHeapGrowingPercent = 50

/**
 * Holds this process's heap growth to `proxyHeapGrowingPercent`, unless node was started with its own
 * `--heap-growing-percent`. It acts on the whole process: `cutover proxy` calls it, the API leaves it to the caller.
 */
export function keepHeapTight (execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some((arg) => arg.startsWith('--heap-growing-percent') || arg.startsWith('--heap_growing_percent'))) return false
  setFlagsFromString(`--heap-growing-percent=${proxyHeapGrowingPercent}`)
  return true
}
