// Bounded memory of cutover itself (issue 8): a long open-model run at a steady rate, with cutover's own RSS and
// heap sampled every second from inside its process, then judged by cutover's own leak detector.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { detectLeak } from '../src/analysis/leak/detector.js'
import type { MemorySample } from '../src/analysis/leak/types.js'
import { formatRate, formatRateInterval } from '../src/analysis/leak/format.js'
import type { RunResult } from '../src/core/result-types.js'
import { pinnedNode } from './support/pinning.js'

const cli = fileURLToPath(new URL('../bin/cutover.js', import.meta.url))
const probe = fileURLToPath(new URL('./support/memory-probe.cjs', import.meta.url))

/** What one long run showed about cutover's own memory. */
export interface MemoryBound {
  seconds: number
  rate: number
  requests: number
  failed: number
  lateShare: number
  exitCode: number | null
  /** Highest RSS of the cutover process over the whole run, report writing included. */
  rssPeakBytes: number
  /** Highest RSS while the load ran. */
  rssPeakLoadBytes: number
  heapPeakBytes: number
  leak: ReturnType<typeof detectLeak>
  samples: number
}

/** Runs `cutover run` for `seconds` at `rate` req/s against `url` (a loopback service) and judges its memory. */
export async function measureBoundedMemory (url: string, rate: number, seconds: number): Promise<MemoryBound> {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-memory-'))
  try {
    const file = join(dir, 'memory.yaml')
    // a mix with templates, a JSON body and expectations, so the per-request paths users hit are exercised
    writeFileSync(file, `
name: memory
targets: { svc: { url: "${url}" } }
requests:
  - { name: product, path: "/products/{{ randomInt(1, 100000) }}", weight: 6, expect: { status: 200 } }
  - { name: search, path: "/search?q={{ pick('red', 'green', 'blue') }}&page={{ randomInt(1, 50) }}", weight: 3 }
  - { name: order, method: POST, path: /orders, json: { id: "{{ uuid() }}", qty: "{{ randomInt(1, 9) }}" }, weight: 1 }
phases: [{ name: steady, duration: ${seconds}s, rate: ${rate} }]
sampling: { interval: 1s }
`)
    const memoryFile = join(dir, 'memory.ndjson')
    writeFileSync(memoryFile, '')
    const args = ['--require', probe, cli, 'run', file, '--out', join(dir, 'run'), '--quiet']
    // the generator on core 0, as in the other benchmarks (the service is pinned to core 1)
    const [command, pinnedArgs] = pinnedNode(0, args)
    const child = spawn(command, pinnedArgs, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, CI: 'true', CUTOVER_MEMORY_PROBE: memoryFile } })
    const exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    // BENCH_KEEP_MEMORY=<file>: keep the per-second samples for a closer look
    if (process.env.BENCH_KEEP_MEMORY !== undefined) writeFileSync(process.env.BENCH_KEEP_MEMORY, readFileSync(memoryFile))
    const all = readFileSync(memoryFile, 'utf8').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as { tSec: number, rssBytes: number, heapBytes: number })
    // the load starts within a second of the process; the samples after it belong to drain and report writing
    const during = all.filter((sample) => sample.tSec <= seconds)
    const samples: MemorySample[] = during.map((sample) => ({ ...sample, phase: 'steady', load: rate }))
    const result = JSON.parse(readFileSync(join(dir, 'run', 'result.json'), 'utf8')) as RunResult
    const target = result.targets.svc
    return {
      seconds,
      rate,
      requests: target?.requests.total ?? 0,
      failed: target?.requests.failed ?? 0,
      lateShare: target === undefined || target.generator.sent === 0 ? 0 : target.generator.late / target.generator.sent,
      exitCode,
      rssPeakBytes: Math.max(...all.map((sample) => sample.rssBytes)),
      rssPeakLoadBytes: Math.max(...during.map((sample) => sample.rssBytes)),
      heapPeakBytes: Math.max(...all.map((sample) => sample.heapBytes)),
      leak: detectLeak({ samples }),
      samples: samples.length
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`

/** The benchmark figures of one measurement: RSS under 250 MB, and no leak in cutover. */
export function memoryFigures (m: MemoryBound): Array<{ name: string, value: number, unit: string, goal: string, met: boolean, detail: string }> {
  const load = `${m.requests.toLocaleString('en')} requests in ${m.seconds / 60} min at ${m.rate} req/s (${m.failed} failed, ${(m.lateShare * 100).toFixed(2)}% sent late), exit ${String(m.exitCode)}`
  return [{
    name: `cutover RSS peak, ${m.seconds / 60} min at ${m.rate} req/s`,
    value: m.rssPeakBytes / 1024 / 1024,
    unit: 'MB',
    goal: '< 250',
    met: m.rssPeakBytes < 250 * 1024 * 1024,
    detail: `${load}; peak during the load ${mb(m.rssPeakLoadBytes)}, heapUsed peak ${mb(m.heapPeakBytes)}`
  }, {
    name: `cutover's leak detector on cutover (${m.leak.signal})`,
    value: m.leak.slopeBytesPerSec * 60 / 1024,
    unit: 'KB/min',
    // a minute is mostly V8 and allocator warm-up: only the long run is judged
    goal: m.seconds >= 300 ? 'verdict not leak' : 'reported (judged in the 10-minute run)',
    met: m.seconds < 300 || m.leak.verdict !== 'leak',
    detail: `verdict ${m.leak.verdict}: slope ${formatRate(m.leak.slopeBytesPerSec)}, 95% CI ${formatRateInterval(m.leak.slopeCi[0], m.leak.slopeCi[1])}, p ${m.leak.pValue.toPrecision(2)}, ${m.samples} samples`
  }]
}
