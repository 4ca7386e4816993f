// Preloaded into a cutover process by the bounded-memory benchmark (node --require): appends the process's own
// RSS and V8 heapUsed, once a second, to the file named by CUTOVER_MEMORY_PROBE. Not part of the product.
const { appendFileSync } = require('node:fs')
const file = process.env.CUTOVER_MEMORY_PROBE
if (file !== undefined && file !== '') {
  const started = Date.now()
  const timer = setInterval(() => {
    const { rss, heapUsed } = process.memoryUsage()
    appendFileSync(file, `${JSON.stringify({ tSec: (Date.now() - started) / 1000, rssBytes: rss, heapBytes: heapUsed })}\n`)
  }, 1000)
  timer.unref()
}
