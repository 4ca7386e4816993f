// Preloaded into a cutover process by the bounded-memory benchmarks (node --require): appends the process's own
// RSS, V8 heapUsed and the heap's committed size (heapTotal), once a second, to the file named by
// CUTOVER_MEMORY_PROBE. Main thread only: worker threads inherit --require, and their own heap figures interleaved
// with the main thread's made one series of two. Not part of the product.
const { appendFileSync } = require('node:fs')
const { isMainThread } = require('node:worker_threads')
const file = process.env.CUTOVER_MEMORY_PROBE
if (isMainThread && file !== undefined && file !== '') {
  const started = Date.now()
  const timer = setInterval(() => {
    const { rss, heapUsed, heapTotal } = process.memoryUsage()
    appendFileSync(file, `${JSON.stringify({ tSec: (Date.now() - started) / 1000, rssBytes: rss, heapBytes: heapUsed, heapCommittedBytes: heapTotal })}\n`)
  }, 1000)
  timer.unref()
}
