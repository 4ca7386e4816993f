import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { createSampler } from '../src/sampling/create-sampler.js'
import type { ResourceSample, Sampler } from '../src/sampling/sampler.js'
import { eventually, killSamplingChildren, liveProcessesInGroup, startSamplingChild } from './support/sampling-children.js'

// Timing-sensitive: real child processes, measured with tolerances.

const MiB = 1024 * 1024
let sampler: Sampler | undefined

afterEach(async () => {
  await sampler?.close()
  sampler = undefined
  await killSamplingChildren()
})

/** Samples every `everyMs` for `forMs`; fails on a missing sample. */
async function sampleFor (target: Sampler, forMs: number, everyMs: number): Promise<ResourceSample[]> {
  const samples: ResourceSample[] = []
  const until = Date.now() + forMs
  while (Date.now() < until) {
    await sleep(everyMs)
    const sample = await target.sample()
    if (sample === undefined) throw new Error('process gone while sampling')
    samples.push(sample)
  }
  return samples
}

const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length

for (const platform of ['linux', 'darwin'] as const) {
  const kind = platform === 'linux' ? 'process-tree' : 'pidusage'

  describe(`${kind} sampler (${platform === 'linux' ? '/proc' : 'pidusage fallback, run on Linux'})`, () => {
    it('reads the RSS of a child holding 200 MB within ±10% of what the child reports', async () => {
      const child = await startSamplingChild('allocate.mjs', ['200'])
      sampler = await createSampler({ pid: child.pid }, undefined, { intervalMs: 1000, platform })
      expect(sampler?.kind).toBe(kind)
      const sample = await sampler?.sample()
      const reported = child.reports.at(-1)?.rssBytes as number
      expect(reported).toBeGreaterThan(200 * MiB)
      expect(sample?.rssBytes).toBeGreaterThan(reported * 0.9)
      expect(sample?.rssBytes).toBeLessThan(reported * 1.1)
      expect(sample?.processes).toBe(1)
    })

    it('reads a child burning half a core as 35–65% over 2 s, agreeing with the child\'s own figure', async () => {
      const child = await startSamplingChild('burn.mjs')
      sampler = await createSampler(undefined, child.pid, { intervalMs: 250, platform })
      const first = child.reports.at(-1) ?? {}
      const samples = await sampleFor(sampler as Sampler, 2000, 250)
      const last = child.reports.at(-1) ?? {}
      const cpuMeanPercent = mean(samples.map((sample) => sample.cpuPercent))
      expect(cpuMeanPercent).toBeGreaterThan(35)
      expect(cpuMeanPercent).toBeLessThan(65)
      for (const sample of samples) expect(sample.cpuPercent).toBeGreaterThanOrEqual(0)
      // the child's own process.cpuUsage() over (about) the same window; reports come every 100 ms
      const selfPercent = ((last.cpuSeconds as number) - (first.cpuSeconds as number)) / (((last.atMs as number) - (first.atMs as number)) / 1000) * 100
      expect(Math.abs(cpuMeanPercent - selfPercent)).toBeLessThan(10)
    })

    it('counts a child\'s memory in its parent\'s tree, and a group kill leaves no process behind', async () => {
      const parent = await startSamplingChild('parent.mjs', ['150'])
      const report = await parent.waitFor((line) => typeof line.childPid === 'number')
      sampler = await createSampler(undefined, parent.pid, { intervalMs: 1000, platform })
      const sample = await sampler?.sample()
      const expectedBytes = (report.parentRssBytes as number) + (report.childRssBytes as number)
      expect(report.childRssBytes as number).toBeGreaterThan(150 * MiB)
      expect(sample?.processes).toBe(2)
      expect(sample?.rssBytes).toBeGreaterThan(expectedBytes * 0.9)
      expect(sample?.rssBytes).toBeLessThan(expectedBytes * 1.1)

      expect(liveProcessesInGroup(parent.pid).sort()).toEqual([parent.pid, report.childPid as number].sort())
      await parent.kill()
      expect(await eventually(() => liveProcessesInGroup(parent.pid).length === 0)).toBe(true)
      expect(await sampler?.sample()).toBeUndefined()
    })
  })
}

describe('process-tree sampler: CPU of children that exit between samples', () => {
  it('counts the CPU of short-lived children within ±20% of what they measured themselves', async () => {
    // 5 children one after another, each busy 400 ms: most live across no more than one sample boundary
    const parent = await startSamplingChild('short-lived-children.mjs', ['5', '400'])
    sampler = await createSampler(undefined, parent.pid, { intervalMs: 300, platform: 'linux' })
    let sampledCpuSeconds = 0
    let last = performance.now()
    while (parent.reports.find((line) => line.done === true) === undefined) {
      await sleep(300)
      const sample = await sampler?.sample()
      const now = performance.now()
      sampledCpuSeconds += (sample?.cpuPercent ?? 0) / 100 * (now - last) / 1000
      last = now
    }
    // one more sample once the last child has been reaped
    await sleep(100)
    const final = await sampler?.sample()
    sampledCpuSeconds += (final?.cpuPercent ?? 0) / 100 * (performance.now() - last) / 1000
    const done = parent.reports.find((line) => line.done === true) ?? {}
    const reportedCpuSeconds = (done.childrenCpuSeconds as number) + (done.parentCpuSeconds as number)
    // the children's own figures miss their exit; /proc includes it, so allow more above than below
    expect(reportedCpuSeconds).toBeGreaterThan(5 * 0.4)
    expect(sampledCpuSeconds).toBeGreaterThan(reportedCpuSeconds * 0.8)
    expect(sampledCpuSeconds).toBeLessThan(reportedCpuSeconds * 1.2)
  })
})
