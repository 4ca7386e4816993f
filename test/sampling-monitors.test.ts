import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { CutoverError } from '../src/core/errors.js'
import { createSampler } from '../src/sampling/create-sampler.js'
import type { MonitorConfig, monitorSchema } from '../src/sampling/monitors.js'
import type { Sampler } from '../src/sampling/sampler.js'
import { killSamplingChildren, startSamplingChild } from './support/sampling-children.js'

// A parsed `monitor` block is accepted by createSampler: checked by the compiler (tsc fails if not).
const parsedMonitorIsAccepted: z.output<typeof monitorSchema> extends MonitorConfig ? true : never = true

const MiB = 1024 * 1024
let dir = ''
let sampler: Sampler | undefined

beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'cutover-sampling-')) })
afterEach(async () => {
  await sampler?.close()
  sampler = undefined
  await killSamplingChildren()
  await rm(dir, { recursive: true, force: true })
})

/** The CutoverError `promise` rejects with. */
async function failure (promise: Promise<unknown>): Promise<CutoverError> {
  const error = await promise.then(() => undefined, (reason: unknown) => reason)
  expect(error).toBeInstanceOf(CutoverError)
  return error as CutoverError
}

describe('pid and pidFile monitors', () => {
  it('a pid file that does not exist is TARGET_UNREACHABLE naming the file', async () => {
    const error = await failure(createSampler({ pidFile: 'service.pid' }, undefined, { intervalMs: 1000, baseDir: dir }))
    expect(error.code).toBe('TARGET_UNREACHABLE')
    expect(error.message).toBe(`The pid file ${join(dir, 'service.pid')} does not exist, so the service's CPU and memory cannot be sampled`)
    expect(error.hint).toContain('monitor.pidFile')
  })

  it('a garbled pid file is TARGET_UNREACHABLE quoting what it holds', async () => {
    await writeFile(join(dir, 'service.pid'), 'not a pid\n')
    const error = await failure(createSampler({ pidFile: 'service.pid' }, undefined, { intervalMs: 1000, baseDir: dir }))
    expect(error.code).toBe('TARGET_UNREACHABLE')
    expect(error.message).toContain('does not hold a process id (it reads "not a pid\\n")')
  })

  it('a pid file naming a dead process is TARGET_UNREACHABLE', async () => {
    const child = await startSamplingChild('burn.mjs')
    await child.kill()
    await writeFile(join(dir, 'service.pid'), `${child.pid}\n`)
    const error = await failure(createSampler({ pidFile: join(dir, 'service.pid') }, undefined, { intervalMs: 1000 }))
    expect(error.message).toContain(`names pid ${child.pid}, but no such process is running`)
  })

  it('a pid that does not run is TARGET_UNREACHABLE', async () => {
    const child = await startSamplingChild('burn.mjs')
    await child.kill()
    const error = await failure(createSampler({ pid: child.pid }, undefined, { intervalMs: 1000 }))
    expect(error.code).toBe('TARGET_UNREACHABLE')
    expect(error.message).toContain(`No process with pid ${child.pid} is running`)
  })

  it('follows a restarted service through its pid file, and reads nothing while the file is gone', async () => {
    const pidFile = join(dir, 'service.pid')
    const first = await startSamplingChild('allocate.mjs', ['40'])
    await writeFile(pidFile, `${first.pid}\n`)
    sampler = await createSampler({ pidFile }, undefined, { intervalMs: 1000 })
    const before = await sampler?.sample()
    expect(before?.rssBytes).toBeGreaterThan(40 * MiB)
    expect(before?.rssBytes).toBeLessThan(120 * MiB)

    // the "restart": a new process with much more memory writes its pid
    const second = await startSamplingChild('allocate.mjs', ['200'])
    await first.kill()
    await rm(pidFile)
    expect(await sampler?.sample()).toBeUndefined()
    await writeFile(pidFile, `${second.pid}\n`)
    const after = await sampler?.sample()
    expect(after?.rssBytes).toBeGreaterThan(200 * MiB)
    expect(after?.cpuPercent).toBeGreaterThanOrEqual(0)
  })

  it('stops reading a fixed pid once its process is gone', async () => {
    const child = await startSamplingChild('burn.mjs')
    sampler = await createSampler({ pid: child.pid }, undefined, { intervalMs: 1000 })
    expect(await sampler?.sample()).toBeDefined()
    await child.kill()
    expect(await sampler?.sample()).toBeUndefined()
  })
})

describe('createSampler', () => {
  it('accepts the scenario schema\'s parsed monitor type', () => {
    expect(parsedMonitorIsAccepted).toBe(true)
  })

  it('samples the started process when there is no monitor, and nothing when none was started', async () => {
    const child = await startSamplingChild('burn.mjs')
    sampler = await createSampler(undefined, child.pid, { intervalMs: 1000 })
    expect(sampler?.kind).toBe(process.platform === 'linux' ? 'process-tree' : 'pidusage')
    expect(sampler?.source).toBe(`process tree of pid ${child.pid}`)
    expect(await createSampler(undefined, undefined, { intervalMs: 1000 })).toBeUndefined()
    expect(await createSampler({ memoryLimit: 1e9 }, undefined, { intervalMs: 1000 })).toBeUndefined()
  })

  it('puts monitor.memoryLimit on every sample of the started process', async () => {
    const child = await startSamplingChild('burn.mjs')
    sampler = await createSampler({ memoryLimit: 512 * MiB }, child.pid, { intervalMs: 1000 })
    const sample = await sampler?.sample()
    expect(sample?.memoryLimitBytes).toBe(512 * MiB)
    expect(sample?.rssBytes).toBeGreaterThan(0)
  })
})
