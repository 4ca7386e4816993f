// The mirror yields to callers (issue 18, items 2 and 7): mirror requests and their comparison share the callers'
// thread, so while the proxy's event loop is busy the mirror takes nothing, and counts what it shed.
import { Agent } from 'undici'
import { describe, expect, it } from 'vitest'
import { BusyGauge, busyAbove, idleShare, nextBusy } from '../src/proxy/busy-gauge.js'
import { Mirror, type MirrorJob } from '../src/proxy/mirror.js'
import { ShadowCollector } from '../src/shadow/collector.js'
import { compileShadowRules } from '../src/shadow/rules.js'
import { startServer } from './support/servers.js'

const waitMs = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

describe('the busy gauge', () => {
  it('turns busy at 80% utilization and idle again only below 60% (three quarters of it); proxy.mirrorYield moves both', () => {
    expect([busyAbove, idleShare]).toEqual([0.8, 0.75])
    expect(nextBusy(false, 0.79)).toBe(false)
    expect(nextBusy(false, 0.8)).toBe(true)
    expect(nextBusy(true, 0.7)).toBe(true)
    expect(nextBusy(true, 0.59)).toBe(false)
    expect(nextBusy(false, 0.8, 0.9)).toBe(false)
    expect(nextBusy(true, 0.68, 0.9)).toBe(true)
    expect(nextBusy(true, 0.67, 0.9)).toBe(false)
  })

  it('reads the event loop: busy after the loop was blocked, idle after it rested', async () => {
    const changes: boolean[] = []
    const gauge = new BusyGauge(0.8, (busy) => { changes.push(busy) })
    gauge.start()
    try {
      await waitMs(300)
      expect(changes).toEqual([])
      // the loop is blocked for 0.6 s: the reading after it sees a loop busy all the time (however busy the machine is),
      // the one after that a loop at rest
      const until = performance.now() + 600
      while (performance.now() < until) { /* a caller's work that takes the whole thread */ }
      await waitMs(1000)
      expect(changes).toEqual([true, false])
      expect(gauge.busy).toBe(false)
    } finally {
      gauge.stop()
    }
  })
})

describe('the mirror while the proxy is busy', () => {
  it('sheds every job and counts it; nothing reaches new', async () => {
    let reached = 0
    const candidate = await startServer((_req, res) => { reached++; res.end('{}') }, { keepBodies: false })
    const dispatcher = new Agent()
    let busy = true
    const mirror = new Mirror({
      dispatcher,
      candidate: { url: new URL(candidate.url), headers: {} },
      old: { url: new URL(candidate.url), headers: {} },
      rules: compileShadowRules(undefined, 'busy.yaml'),
      noiseSample: 0,
      random: () => 0.5,
      maxQueued: 100,
      concurrency: 4,
      collector: new ShadowCollector(),
      answered: () => {},
      busy: () => busy
    })
    const job: MirrorJob = {
      request: { endpoint: 'GET /items', method: 'GET', path: '/items', headers: {}, body: undefined, timeoutMs: 5000, allowMutating: false, spec: undefined },
      oldAnswer: { status: 200, headers: {}, body: '{}', truncated: false, error: undefined, latencyMs: 1 }
    }
    try {
      for (let i = 0; i < 10; i++) mirror.push(job)
      expect(mirror.counts).toMatchObject({ shed: 10, mirrored: 0, dropped: 0, queued: 0 })
      // no longer busy: the next job is mirrored
      busy = false
      mirror.push(job)
      await mirror.drain(5000)
      expect(mirror.counts).toMatchObject({ shed: 10, mirrored: 1 })
      expect(reached).toBe(1)
    } finally {
      await dispatcher.close()
      await candidate.close()
    }
  })
})
