// `npm run bench:probe`: does the live-heap probe change what it measures? (issue 15, item 2)
// A node service holding a ~400 MB heap (test/fixtures/heap-server.mjs, HEAP_BALLAST_MB=480, short-lived objects per
// request) is started and driven by cutover itself, three ways: off and probe alternating four times each (so drift
// falls on both alike), then forced once as the reference of what the probe must not do:
//   off     start.heap: false (the reference)
//   probe   the default probe: the heap after the service's own major collections, forcing one only within its budget
//   forced  the probe as it was before: a full collection forced every second, whatever it costs
// Printed: p99 and p50 of the steady phase, CPU per request, failures, and the probe's own cost, as ratios to `off`.
// Numbers are printed, never asserted. 127.0.0.1 only; every run is bounded by its phases.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { RunResult } from '../src/core/result-types.js'
import { silentProgress } from '../src/run/progress.js'
import { runScenario } from '../src/run/run-scenario.js'
import { parseScenario } from '../src/scenario/load.js'
import { freePort } from '../src/targets/free-port.js'

const server = fileURLToPath(new URL('../test/fixtures/heap-server.mjs', import.meta.url))
const args = process.argv.slice(2)
const quick = args.includes('--quick')
const steadySec = quick ? 15 : 60
const rate = 300
const write = (text: string): void => { process.stdout.write(text) }

type Mode = 'off' | 'probe' | 'forced'
const modeEnv: Record<Mode, Record<string, string>> = {
  off: {},
  probe: {},
  forced: { CUTOVER_HEAP_FORCE_AFTER_MS: '1000', CUTOVER_HEAP_BUDGET: '1' }
}

interface Measured {
  mode: Mode
  p50: number
  p99: number
  cpuPerRequestMs: number
  failed: number
  heapMb: number
  probe: NonNullable<NonNullable<RunResult['targets'][string]['resources']>['heapProbe']> | undefined
}

async function once (mode: Mode, dir: string, index: number): Promise<Measured> {
  const port = await freePort()
  const env = { PORT: String(port), HEAP_BALLAST_MB: '480', HEAP_GARBAGE_ITEMS: '20', NODE_OPTIONS: '--max-old-space-size=1500', ...modeEnv[mode] }
  const scenario = parseScenario(`
name: heap-probe-${mode}
targets:
  svc:
    url: "http://127.0.0.1:${port}"
    start:
      command: '"${process.execPath}" "${server}"'
      env: ${JSON.stringify(env)}
      readyTimeout: 60s
      heap: ${mode === 'off' ? 'false' : 'true'}
requests: [{ name: home, path: / }]
phases:
  - { name: warmup, duration: 10s, rate: ${rate} }
  - { name: steady, duration: ${steadySec}s, rate: ${rate} }
sampling: { interval: 1s }
`, join(dir, `${mode}-${index}.yaml`))
  const { result } = await runScenario(scenario, { out: join(dir, `${mode}-${index}`), progress: silentProgress, signal: new AbortController().signal, env: {}, seed: index })
  const target = result.targets.svc
  const steady = target?.phases.find((phase) => phase.name === 'steady')
  if (target === undefined || steady === undefined) throw new Error(`run ${mode} produced no figures`)
  const cpuPercent = target.resources?.cpuMeanPercent ?? NaN
  return {
    mode,
    p50: steady.latencyMs.p50,
    p99: steady.latencyMs.p99,
    cpuPerRequestMs: (cpuPercent / 100) * 1000 / Math.max(1, target.throughput.mean),
    failed: target.requests.failed,
    heapMb: (target.resources?.heapPeakBytes ?? NaN) / 1e6,
    probe: target.resources?.heapProbe
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] as number : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

async function main (): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-bench-probe-'))
  const started = Date.now()
  write(`cutover heap-probe benchmark — node ${process.version}; ${rate} req/s, warm-up 10 s + steady ${steadySec} s per run, order off probe probe off off probe probe off forced\n`)
  const results: Measured[] = []
  try {
    const order: Mode[] = ['off', 'probe', 'probe', 'off', 'off', 'probe', 'probe', 'off', 'forced']
    for (const [index, mode] of order.entries()) {
      const m = await once(mode, dir, index)
      results.push(m)
      write(`  ${mode.padEnd(6)} p50 ${m.p50.toFixed(2)} ms  p99 ${m.p99.toFixed(2)} ms  CPU/request ${m.cpuPerRequestMs.toFixed(3)} ms  failed ${m.failed}  heap peak ${m.heapMb.toFixed(0)} MB` +
        (m.probe === undefined ? '' : `  probe: ${m.probe.naturalGcs} own collections, ${m.probe.forcedGcs} forced (${m.probe.forcedGcMs.toFixed(0)} ms, ${(m.probe.forcedShare * 100).toFixed(2)}% of CPU, ${(m.probe.forcedWallShare * 100).toFixed(2)}% of time), ${m.probe.skippedForBudget} held back by the budget`) + '\n')
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  const of = (mode: Mode, key: 'p50' | 'p99' | 'cpuPerRequestMs'): number => median(results.filter((r) => r.mode === mode).map((r) => r[key]))
  const range = (mode: Mode, key: 'p99' | 'p50'): string => {
    const values = results.filter((r) => r.mode === mode).map((r) => r[key])
    return `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)} ms`
  }
  write(`\np99 across runs: off ${range('off', 'p99')}, probe ${range('probe', 'p99')} (the service's own major collections of a ~400 MB heap pause it ~0.4 s each, and set the p99)\n`)
  write('medians (forced: one run), as ratios to the median with the probe turned off:\n')
  for (const mode of ['probe', 'forced'] as const) {
    write(`  ${mode.padEnd(6)} p99 ${(of(mode, 'p99') / of('off', 'p99')).toFixed(3)}×  p50 ${(of(mode, 'p50') / of('off', 'p50')).toFixed(3)}×  CPU/request ${(of(mode, 'cpuPerRequestMs') / of('off', 'cpuPerRequestMs')).toFixed(3)}×\n`)
  }
  const ratio = of('probe', 'p99') / of('off', 'p99')
  // one-sided: the probe must not make the service slower; a lower p99 with it is the run-to-run spread
  write(`\nGOAL: the default probe adds at most 5% to p99 on a service with a ~400 MB heap: ${ratio <= 1.05 ? 'MET' : 'MISSED'} (${((ratio - 1) * 100).toFixed(1)}%)\n`)
  write(`total ${((Date.now() - started) / 1000).toFixed(0)} s\n`)
}

main().then(() => process.exit(0), (error: unknown) => {
  process.stderr.write(`bench:probe failed: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
