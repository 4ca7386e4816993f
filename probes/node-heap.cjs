// Preloaded by cutover into the node processes of a service it starts (NODE_OPTIONS=--require this file --expose-gc;
// `start.heap: false` turns it off). It reports the V8 heap still in use right after a major garbage collection — the
// live heap, without the sawtooth of garbage not yet collected — to <CUTOVER_HEAP_DIR>/<pid>.json, which cutover's
// sampler reads every CUTOVER_HEAP_EVERY_MS.
//
// It watches the service's own major collections (a `gc` PerformanceObserver) and forces one only when none happened
// for CUTOVER_HEAP_FORCE_AFTER_MS, and only while the forced collections' time stays within CUTOVER_HEAP_BUDGET (a
// share, default 1%) of the CPU time the process has used, or half that share of its running time, whichever allows
// more: on a large heap a full collection takes hundreds of milliseconds, and forcing one every second would slow the
// service it measures. What it cost is in the same file.
// It never touches the service's own code or output.
'use strict'
const { writeFileSync, renameSync } = require('node:fs')
const { join } = require('node:path')
const v8 = require('node:v8')
const { PerformanceObserver, constants, performance } = require('node:perf_hooks')

const dir = process.env.CUTOVER_HEAP_DIR
const everyMs = Math.max(500, Number(process.env.CUTOVER_HEAP_EVERY_MS) || 1000)
const forceAfterMs = Math.max(everyMs, Number(process.env.CUTOVER_HEAP_FORCE_AFTER_MS) || 2 * everyMs)
const budget = Math.min(1, Math.max(0, Number(process.env.CUTOVER_HEAP_BUDGET) || 0.01))

if (dir !== undefined && dir !== '') {
  const file = join(dir, `${process.pid}.json`)
  const state = { heapUsedBytes: undefined, heapCommittedBytes: undefined, gcAtMs: undefined, naturalGcs: 0, forcedGcs: 0, forcedGcMs: 0, skippedForBudget: 0 }
  let lastMajorAt = performance.now()
  let lastForcedMs = 0
  // [start, end] of forced collections (performance.now() times), so the observer does not count them as the service's
  const forcedWindows = []

  const afterMajor = () => {
    state.heapUsedBytes = v8.getHeapStatistics().used_heap_size
    state.gcAtMs = Date.now()
  }

  try {
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const kind = entry.detail !== undefined && entry.detail !== null ? entry.detail.kind : entry.kind
        if (kind !== constants.NODE_PERFORMANCE_GC_MAJOR) continue
        if (forcedWindows.some(([start, end]) => entry.startTime >= start - 1 && entry.startTime <= end + 1)) continue
        state.naturalGcs++
        lastMajorAt = performance.now()
        afterMajor()
      }
      forcedWindows.splice(0, Math.max(0, forcedWindows.length - 8))
    })
    observer.observe({ entryTypes: ['gc'] })
  } catch {
    // no gc entries on this runtime: forced collections alone, within the budget
  }

  const cpuMs = () => {
    const usage = process.cpuUsage()
    return (usage.user + usage.system) / 1000
  }

  const tick = () => {
    try {
      const now = performance.now()
      if (typeof global.gc === 'function' && now - lastMajorAt >= forceAfterMs) {
        // the next forced collection is expected to cost what the last one did; before the first, about 1 ms per MB of heap
        const expectedMs = state.forcedGcs > 0 ? lastForcedMs : v8.getHeapStatistics().used_heap_size / 1e6
        // the budget: a share of the CPU time used, or half that share of the time since start, whichever allows more
        // (a collection pauses the service, so its share of wall time is what delays requests)
        if (state.forcedGcMs + expectedMs <= budget * Math.max(cpuMs(), performance.now() / 2)) {
          const start = performance.now()
          global.gc()
          const end = performance.now()
          forcedWindows.push([start, end])
          lastForcedMs = end - start
          state.forcedGcs++
          state.forcedGcMs += lastForcedMs
          lastMajorAt = end
          afterMajor()
        } else {
          state.skippedForBudget++
        }
      }
      if (state.heapUsedBytes === undefined) return
      // the heap's committed size now: RSS less this is the memory outside the heap (a growing heap commits pages too)
      state.heapCommittedBytes = v8.getHeapStatistics().total_heap_size
      // write then rename, so the sampler never reads half a file
      writeFileSync(`${file}.tmp`, JSON.stringify({ pid: process.pid, ...state, atMs: Date.now(), cpuMs: cpuMs(), uptimeMs: performance.now() }))
      renameSync(`${file}.tmp`, file)
    } catch {
      // the folder is gone (the run ended): stay quiet, the service must not notice
    }
  }
  setInterval(tick, everyMs).unref()
}
