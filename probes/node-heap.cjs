// Preloaded by cutover into the node processes of a service started with `start.heap: true`
// (NODE_OPTIONS=--require this file --expose-gc). Every CUTOVER_HEAP_EVERY_MS it runs a full garbage collection and
// writes the V8 heap still in use after it — the live heap, without the sawtooth of garbage not yet collected — to
// <CUTOVER_HEAP_DIR>/<pid>.json, which cutover's sampler reads. It never touches the service's own code or output.
'use strict'
const { writeFileSync, renameSync } = require('node:fs')
const { join } = require('node:path')
const v8 = require('node:v8')

const dir = process.env.CUTOVER_HEAP_DIR
const everyMs = Math.max(500, Number(process.env.CUTOVER_HEAP_EVERY_MS) || 1000)
if (dir !== undefined && dir !== '' && typeof global.gc === 'function') {
  const file = join(dir, `${process.pid}.json`)
  const measure = () => {
    try {
      global.gc()
      const heap = v8.getHeapStatistics()
      // write then rename, so the sampler never reads half a file
      writeFileSync(`${file}.tmp`, JSON.stringify({ pid: process.pid, heapUsedBytes: heap.used_heap_size, atMs: Date.now() }))
      renameSync(`${file}.tmp`, file)
    } catch {
      // the folder is gone (the run ended): stay quiet, the service must not notice
    }
  }
  setInterval(measure, everyMs).unref()
}
