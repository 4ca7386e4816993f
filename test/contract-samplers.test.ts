// The contract every registered `monitor` source keeps, run over the registry: a new source adds its file, its line in
// src/sampling/monitors.ts and its fixture below (the fixtures are keyed by the registry's keys, so tsc insists).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CutoverError } from '../src/core/errors.js'
import { createSampler } from '../src/sampling/create-sampler.js'
import { monitorSchema, monitorSources, type MonitorSourceKey } from '../src/sampling/monitors.js'
import type { Sampler } from '../src/sampling/sampler.js'
import { killSamplingChildren, startSamplingChild, type SamplingChild } from './support/sampling-children.js'
import { freePort, startServer, type TestServer } from './support/servers.js'

/** A `monitor` block (as a user writes it) that reads a live fixture, and one whose source cannot be read. */
interface SourceFixture {
  readable: Record<string, unknown>
  unreadable: Record<string, unknown>
}

let dir = ''
let child: SamplingChild | undefined
let exporter: TestServer | undefined
let cpuSeconds = 1
const fixtures = {} as Record<MonitorSourceKey, SourceFixture>

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cutover-contract-samplers-'))
  child = await startSamplingChild('allocate.mjs', ['20'])
  await writeFile(join(dir, 'service.pid'), `${child.pid}\n`)
  exporter = await startServer((_req, res) => {
    cpuSeconds += 0.05
    res.end(`process_resident_memory_bytes 104857600\nprocess_cpu_seconds_total ${cpuSeconds}\n`)
  })
  const cgroup = join(dir, 'cgroup')
  await mkdir(cgroup)
  await writeFile(join(cgroup, 'memory.current'), '52428800\n')
  await writeFile(join(cgroup, 'cpu.stat'), 'usage_usec 1000000\n')
  await writeFile(join(cgroup, 'cgroup.procs'), `${child.pid}\n`)
  const refused = `http://127.0.0.1:${await freePort()}/metrics`
  const fixtureOf: Record<MonitorSourceKey, SourceFixture> = {
    pid: { readable: { pid: child.pid }, unreadable: { pid: 2 ** 22 + 7 } },
    pidFile: { readable: { pidFile: 'service.pid' }, unreadable: { pidFile: 'missing.pid' } },
    prometheus: { readable: { prometheus: `${exporter.url}/metrics` }, unreadable: { prometheus: refused } },
    cgroup: { readable: { cgroup: 'cgroup' }, unreadable: { cgroup: 'no-such-cgroup' } }
  }
  Object.assign(fixtures, fixtureOf)
})

afterAll(async () => {
  await killSamplingChildren()
  await exporter?.close()
  await rm(dir, { recursive: true, force: true })
})

const parse = (block: Record<string, unknown>): ReturnType<typeof monitorSchema.parse> => monitorSchema.parse(block)

async function create (block: Record<string, unknown>): Promise<Sampler> {
  const sampler = await createSampler(parse(block), undefined, { intervalMs: 1000, baseDir: dir })
  if (sampler === undefined) throw new Error('no sampler')
  return sampler
}

describe.each(monitorSources.map((source) => [source.key, source] as const))('monitor source %s', (key, source) => {
  it('its block parses with memoryLimit, and unknown settings are refused', () => {
    const block = fixtures[key].readable
    expect(source.schema.safeParse(block).success).toBe(true)
    expect(parse({ ...block, memoryLimit: '1GiB' }).memoryLimit).toBe(1024 ** 3)
    expect(source.schema.safeParse({ ...block, sampleEvery: '1s' }).success).toBe(false)
  })

  it('samples CPU and memory of a live fixture, again and again, then closes twice without error', async () => {
    const sampler = await create(fixtures[key].readable)
    try {
      expect(sampler.kind).toMatch(/\S/)
      expect(sampler.source).toMatch(/\S/)
      for (let i = 0; i < 3; i++) {
        const sample = await sampler.sample()
        expect(sample, `sample ${i}`).toBeDefined()
        expect(sample?.rssBytes).toBeGreaterThan(0)
        expect(Number.isFinite(sample?.cpuPercent)).toBe(true)
        expect(sample?.cpuPercent).toBeGreaterThanOrEqual(0)
      }
    } finally {
      await sampler.close()
      await sampler.close()
    }
  })

  it('puts monitor.memoryLimit on every sample', async () => {
    const sampler = await create({ ...fixtures[key].readable, memoryLimit: '512MiB' })
    try {
      expect((await sampler.sample())?.memoryLimitBytes).toBe(512 * 1024 * 1024)
    } finally {
      await sampler.close()
    }
  })

  it('a source that cannot be read now is TARGET_UNREACHABLE, before any load', async () => {
    const error = await create(fixtures[key].unreadable).then((sampler) => sampler.close().then(() => undefined), (reason: unknown) => reason)
    expect(error).toBeInstanceOf(CutoverError)
    expect((error as CutoverError).code).toBe('TARGET_UNREACHABLE')
  })
})
