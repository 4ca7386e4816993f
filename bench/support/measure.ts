import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import type { RunResult } from '../../src/core/result-types.js'
import { silentProgress } from '../../src/run/progress.js'
import { runScenario } from '../../src/run/run-scenario.js'
import { parseScenario } from '../../src/scenario/load.js'

/** Throughput and this process's CPU cost of one load run. */
export interface LoadMeasurement {
  requests: number
  seconds: number
  throughput: number
  cpuMicrosPerRequest: number
  userMicrosPerRequest: number
  result?: RunResult
}

/** Runs a cutover scenario (YAML phases against `url`) in this process and measures its CPU per request. */
export async function measureCutover (url: string, phasesYaml: string): Promise<LoadMeasurement> {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-bench-'))
  try {
    const scenario = parseScenario(`
name: bench
targets: { svc: { url: "${url}" } }
requests: [{ name: hello, path: / }]
phases:
${phasesYaml}
sampling: { interval: 1s }
`, join(dir, 'bench.yaml'))
    const cpuBefore = process.cpuUsage()
    const started = performance.now()
    const { result } = await runScenario(scenario, { out: join(dir, 'run'), progress: silentProgress, signal: new AbortController().signal, env: {}, seed: 1 })
    const seconds = (performance.now() - started) / 1000
    const cpu = process.cpuUsage(cpuBefore)
    const target = result.targets.svc
    const requests = target?.requests.ok ?? 0
    return { requests, seconds, throughput: requests / seconds, cpuMicrosPerRequest: (cpu.user + cpu.system) / Math.max(requests, 1), userMicrosPerRequest: cpu.user / Math.max(requests, 1), result }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Runs raw autocannon in this process (optionally rate-limited) and measures its CPU per request. */
export async function measureAutocannon (url: string, options: { connections: number, durationSec: number, overallRate?: number }): Promise<LoadMeasurement> {
  const cpuBefore = process.cpuUsage()
  const started = performance.now()
  const result = await autocannon({ url, connections: options.connections, duration: options.durationSec, ...(options.overallRate === undefined ? {} : { overallRate: options.overallRate }) })
  const seconds = (performance.now() - started) / 1000
  const cpu = process.cpuUsage(cpuBefore)
  const requests = result.requests.total
  return { requests, seconds, throughput: requests / seconds, cpuMicrosPerRequest: (cpu.user + cpu.system) / Math.max(requests, 1), userMicrosPerRequest: cpu.user / Math.max(requests, 1) }
}
