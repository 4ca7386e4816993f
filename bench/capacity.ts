// `npm run bench:capacity`: are `cutover capacity`'s knees repeatable on a busy machine, and do they agree with wrk?
// (issue 15, item 6). Two local services with a fixed service time (test/fixtures/fixed-time-server.mjs: one thread held
// WORK_MS per request without using CPU, so each serves at most 1000/WORK_MS req/s however busy the machine is): old
// at 1 ms, new at 1.25 ms (new/old maximum throughput 0.80, like the framework upgrade of the issue).
//   1. wrk (Debian's package) measures each one's maximum throughput, with nothing else running: the reference.
//   2. `cutover capacity` runs three times on the same two services with a CPU-bound process (a busy loop) running beside it.
// Printed: each run's knees, their spread around the median, the knee ratio new/old against wrk's ratio.
// Numbers are printed, never asserted. 127.0.0.1 only; every load is bounded in time.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { silentProgress } from '../src/run/progress.js'
import { runCapacity } from '../src/run/run-capacity.js'
import { parseScenario } from '../src/scenario/load.js'
import { freePort } from '../src/targets/free-port.js'

const fixture = fileURLToPath(new URL('../test/fixtures/fixed-time-server.mjs', import.meta.url))
const write = (text: string): void => { process.stdout.write(text) }
const quick = process.argv.includes('--quick')
const repeats = quick ? 1 : 3
const services = { old: 1, new: 1.25 } as const

async function startService (workMs: number): Promise<{ port: number, child: ChildProcess }> {
  const port = await freePort()
  const child = spawn(process.execPath, [fixture], { env: { ...process.env, PORT: String(port), WORK_MS: String(workMs) }, stdio: ['ignore', 'pipe', 'ignore'] })
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve())
    child.once('exit', () => reject(new Error('a service did not start')))
  })
  return { port, child }
}

/** wrk's Requests/sec against one service: 8 connections, one thread, `seconds` long, the best of two. */
function wrkMax (port: number, seconds: number): number {
  let best = 0
  for (let i = 0; i < 2; i++) {
    const out = execFileSync('wrk', ['-t1', '-c8', `-d${seconds}s`, `http://127.0.0.1:${port}/`], { encoding: 'utf8' })
    const match = /Requests\/sec:\s+([\d.]+)/.exec(out)
    if (match === null) throw new Error(`wrk printed no rate:\n${out}`)
    best = Math.max(best, Number(match[1]))
  }
  return best
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] as number : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}
const pct = (value: number): string => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}%`

async function main (): Promise<void> {
  const started = Date.now()
  const dir = mkdtempSync(join(tmpdir(), 'cutover-bench-capacity-'))
  const old = await startService(services.old)
  const next = await startService(services.new)
  let hog: ChildProcess | undefined
  try {
    write(`cutover capacity benchmark — node ${process.version}; fixed service time: old ${services.old} ms, new ${services.new} ms a request\n`)
    const wrkSeconds = quick ? 5 : 10
    const wrkOld = wrkMax(old.port, wrkSeconds)
    const wrkNew = wrkMax(next.port, wrkSeconds)
    write(`wrk -t1 -c8 -d${wrkSeconds}s, best of two, nothing else running: old ${wrkOld.toFixed(0)} req/s, new ${wrkNew.toFixed(0)} req/s, new/old ${(wrkNew / wrkOld).toFixed(3)}\n`)

    hog = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' })
    write(`a busy loop (pid ${hog.pid ?? '?'}) takes a core for the capacity runs\n`)
    const knees: Array<{ old: number, new: number, limitedBy: string }> = []
    for (let run = 0; run < repeats; run++) {
      const scenario = parseScenario(`
name: capacity-bench
targets:
  old: { url: "http://127.0.0.1:${old.port}" }
  new: { url: "http://127.0.0.1:${next.port}" }
requests: [{ name: work, path: /, timeout: 2s }]
phases: [{ name: unused, duration: 1s, rate: 1 }]
capacity: { start: 200, stepDuration: 4s, max: 4000 }
checks: { slo: { p99: 100ms } }
`, join(dir, `capacity-${run}.yaml`))
      const t0 = Date.now()
      const { result } = await runCapacity(scenario, { out: join(dir, `run-${run}`), progress: silentProgress, signal: new AbortController().signal, env: {}, seed: run + 1 })
      const o = result.targets.old?.capacity
      const n = result.targets.new?.capacity
      if (o === undefined || n === undefined) throw new Error('a capacity run gave no knee')
      knees.push({ old: o.maxRps, new: n.maxRps, limitedBy: `${o.limitedBy}/${n.limitedBy}` })
      const tries = (c: typeof o): string => c.curve.map((step) => `${step.rate}${step.passed ? '' : step.limitedBy === 'generator' ? 'g' : '×'}`).join(' ')
      write(`run ${run + 1} (${((Date.now() - t0) / 1000).toFixed(0)} s): old ${o.maxRps} req/s (${o.limitedBy}; ${tries(o)}), new ${n.maxRps} req/s (${n.limitedBy}; ${tries(n)}), new/old ${(n.maxRps / o.maxRps).toFixed(3)}\n`)
    }
    const spread = (side: 'old' | 'new'): string => {
      const values = knees.map((k) => k[side])
      const mid = median(values)
      return `${side}: median ${mid} req/s, ${pct(Math.min(...values) / mid - 1)} … ${pct(Math.max(...values) / mid - 1)}`
    }
    const spreadWithin = (side: 'old' | 'new'): boolean => {
      const values = knees.map((k) => k[side])
      const mid = median(values)
      return values.every((v) => Math.abs(v / mid - 1) <= 0.10)
    }
    const ratio = median(knees.map((k) => k.new / k.old))
    const agreement = ratio / (wrkNew / wrkOld) - 1
    write(`\nknees around their median — ${spread('old')}; ${spread('new')}\n`)
    write(`knee ratio new/old, median of runs: ${ratio.toFixed(3)}; wrk's ratio ${(wrkNew / wrkOld).toFixed(3)}; difference ${pct(agreement)}\n`)
    write(`knees against wrk's maximum: old ${(median(knees.map((k) => k.old)) / wrkOld).toFixed(2)}×, new ${(median(knees.map((k) => k.new)) / wrkNew).toFixed(2)}× (a knee is the highest rate within the SLO, below the most a service can serve)\n`)
    write(`\nGOAL: ${repeats} repeats within ±10% of each other with a CPU-bound process beside: ${spreadWithin('old') && spreadWithin('new') ? 'MET' : 'MISSED'}\n`)
    write(`GOAL: knee ratio within ±15% of wrk's: ${Math.abs(agreement) <= 0.15 ? 'MET' : 'MISSED'} (${pct(agreement)})\n`)
  } finally {
    hog?.kill('SIGKILL')
    old.child.kill('SIGTERM')
    next.child.kill('SIGTERM')
    rmSync(dir, { recursive: true, force: true })
  }
  write(`total ${((Date.now() - started) / 1000).toFixed(0)} s\n`)
}

main().then(() => process.exit(0), (error: unknown) => {
  process.stderr.write(`bench:capacity failed: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
