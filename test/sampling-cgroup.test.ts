import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CutoverError } from '../src/core/errors.js'
import { parseCpuStatUsageUsec, parseMemoryBytes } from '../src/sampling/cgroup-files.js'
import { CgroupSampler } from '../src/sampling/cgroup-sampler.js'
import { createSampler } from '../src/sampling/create-sampler.js'
import type { Sampler } from '../src/sampling/sampler.js'

// Real files in a temporary directory laid out as a cgroup v2 directory.

let root = ''
let cgroup = ''
let sampler: Sampler | undefined

async function writeCgroup (files: { current?: number, usageUsec?: number, max?: string, procs?: number[] }): Promise<void> {
  if (files.current !== undefined) await writeFile(join(cgroup, 'memory.current'), `${files.current}\n`)
  if (files.usageUsec !== undefined) {
    await writeFile(join(cgroup, 'cpu.stat'), `usage_usec ${files.usageUsec}\nuser_usec ${Math.floor(files.usageUsec * 0.7)}\nsystem_usec 0\nnr_periods 0\n`)
  }
  if (files.max !== undefined) await writeFile(join(cgroup, 'memory.max'), `${files.max}\n`)
  if (files.procs !== undefined) await writeFile(join(cgroup, 'cgroup.procs'), files.procs.map((pid) => `${pid}\n`).join(''))
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'cutover-cgroup-'))
  cgroup = join(root, 'system.slice', 'app.service')
  await mkdir(cgroup, { recursive: true })
})
afterEach(async () => {
  await sampler?.close()
  sampler = undefined
  await rm(root, { recursive: true, force: true })
})

describe('cgroup v2 sampler', () => {
  it('reads memory.current, CPU percent from usage_usec, memory.max and the process count', async () => {
    await writeCgroup({ current: 50_000_000, usageUsec: 5_000_000, max: 'max', procs: [10, 11, 12] })
    let nowMs = 0
    sampler = await createSampler({ cgroup }, undefined, { intervalMs: 1000, clock: () => nowMs })
    expect(sampler?.kind).toBe('cgroup')

    // +0.5 s of CPU over 1 s; no limit
    await writeCgroup({ usageUsec: 5_500_000 })
    nowMs = 1000
    expect(await sampler?.sample()).toEqual({ rssBytes: 50_000_000, cpuPercent: 50, processes: 3 })

    // +1.5 s over 1 s; memory grew; a limit was set
    await writeCgroup({ current: 80_000_000, usageUsec: 7_000_000, max: '268435456', procs: [10] })
    nowMs = 2000
    expect(await sampler?.sample()).toEqual({ rssBytes: 80_000_000, cpuPercent: 150, processes: 1, memoryLimitBytes: 268_435_456 })
  })

  it('prefers monitor.memoryLimit over memory.max', async () => {
    await writeCgroup({ current: 1000, usageUsec: 0, max: '268435456' })
    sampler = await createSampler({ cgroup, memoryLimit: 100_000_000 }, undefined, { intervalMs: 1000 })
    expect((await sampler?.sample())?.memoryLimitBytes).toBe(100_000_000)
  })

  it('reads nothing once the cgroup is gone', async () => {
    await writeCgroup({ current: 1000, usageUsec: 0 })
    sampler = await createSampler({ cgroup }, undefined, { intervalMs: 1000 })
    await rm(join(cgroup, 'memory.current'))
    expect(await sampler?.sample()).toBeUndefined()
  })

  it('finds the cgroup from a path relative to the scenario, or as in /proc/PID/cgroup under the root', async () => {
    await writeCgroup({ current: 1000, usageUsec: 0 })
    const relative = await createSampler({ cgroup: 'system.slice/app.service' }, undefined, { intervalMs: 1000, baseDir: root })
    expect(relative?.source).toBe(`cgroup ${cgroup}`)
    const asInProc = await CgroupSampler.create('/system.slice/app.service', { cgroupRoot: root })
    expect(asInProc.source).toBe(`cgroup ${cgroup}`)
  })

  it('fails with TARGET_UNREACHABLE when the directory is not a cgroup v2', async () => {
    const error = await createSampler({ cgroup: join(root, 'nope') }, undefined, { intervalMs: 1000 }).catch((reason: unknown) => reason)
    expect(error).toBeInstanceOf(CutoverError)
    expect((error as CutoverError).code).toBe('TARGET_UNREACHABLE')
    expect((error as CutoverError).message).toContain(`No cgroup v2 with memory.current and cpu.stat at ${join(root, 'nope')}`)
  })

  it('parses the files exactly', () => {
    expect(parseCpuStatUsageUsec('usage_usec 123\nuser_usec 100\n')).toBe(123)
    expect(parseCpuStatUsageUsec('user_usec 100\n')).toBeUndefined()
    expect(parseMemoryBytes('max\n')).toBeUndefined()
    expect(parseMemoryBytes('4096\n')).toBe(4096)
  })
})
