// The resource samplers' own CPU cost: this process's CPU while sampling `targets` idle process trees every
// `intervalMs`, against the same timer loop without sampling, measured in the same run.
import { spawn, type ChildProcess } from 'node:child_process'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { createSampler } from '../src/sampling/create-sampler.js'
import type { Sampler } from '../src/sampling/sampler.js'

/** What one measurement found. CPU in percent of one core. */
export interface SamplerCost {
  /** This process's CPU while sampling (timer loop included). */
  samplingCpuPercent: number
  /** This process's CPU running the same timer loop without sampling: the reference. */
  timerOnlyCpuPercent: number
  /** `samplingCpuPercent − timerOnlyCpuPercent`: what the samplers themselves cost. */
  samplerCpuPercent: number
  /** Samples taken (all targets), and the sampler kind used. */
  samplesTaken: number
  kind: string
}

/** Measures the samplers' CPU cost over `durationMs` for `targets` idle child processes sampled every `intervalMs`. */
export async function measureSamplerCost ({ intervalMs = 1000, targets = 2, durationMs = 10_000 }: { intervalMs?: number, targets?: number, durationMs?: number } = {}): Promise<SamplerCost> {
  const children: ChildProcess[] = []
  const samplers: Sampler[] = []
  try {
    for (let i = 0; i < targets; i++) {
      const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore', detached: true })
      children.push(child)
      const sampler = await createSampler(undefined, child.pid, { intervalMs })
      if (sampler === undefined) throw new Error('no sampler for a started process')
      samplers.push(sampler)
    }
    // warm up (module loading, JIT, the first full scan of /proc) so it is not billed to the steady state
    for (let i = 0; i < 20; i++) await Promise.all(samplers.map((sampler) => sampler.sample()))
    const timerOnlyCpuPercent = await ownCpuPercent(durationMs, intervalMs, async () => {})
    let samplesTaken = 0
    const samplingCpuPercent = await ownCpuPercent(durationMs, intervalMs, async () => {
      const samples = await Promise.all(samplers.map((sampler) => sampler.sample()))
      samplesTaken += samples.filter((sample) => sample !== undefined).length
    })
    return {
      samplingCpuPercent,
      timerOnlyCpuPercent,
      samplerCpuPercent: Math.max(0, samplingCpuPercent - timerOnlyCpuPercent),
      samplesTaken,
      kind: samplers[0]?.kind ?? 'none'
    }
  } finally {
    await Promise.all(samplers.map((sampler) => sampler.close()))
    for (const child of children) {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
      } catch { /* already gone */ }
    }
  }
}

/** This process's CPU (user + system) over `durationMs` while `tick` runs every `intervalMs`, in percent of one core. */
async function ownCpuPercent (durationMs: number, intervalMs: number, tick: () => Promise<void>): Promise<number> {
  const startedCpu = process.cpuUsage()
  const startedMs = performance.now()
  let next = startedMs + intervalMs
  while (next <= startedMs + durationMs) {
    await sleep(Math.max(0, next - performance.now()))
    await tick()
    next += intervalMs
  }
  const used = process.cpuUsage(startedCpu)
  return (used.user + used.system) / 1000 / (performance.now() - startedMs) * 100
}
