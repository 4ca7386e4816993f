// `npm run bench:capacity`: are `cutover capacity`'s knees repeatable on a busy machine, and do they agree with wrk?
// (issue 15, item 6). Two local services with a fixed service time (test/fixtures/fixed-time-server.mjs: one thread held
// WORK_MS per request without using CPU, so each serves at most 1000/WORK_MS req/s however busy the machine is): old
// at 1 ms, new at 1.25 ms (new/old maximum throughput 0.80, like the framework upgrade of the issue).
//   1. wrk (Debian's package) measures each one's maximum throughput, with nothing else running: the reference.
//   2. `cutover capacity` runs three times on the same two services with a CPU-bound process (a busy loop) running beside it.
// Printed: each run's knees, their spread around the median, the knee ratio new/old against wrk's ratio, and the
// ceilings the closed-model holds measured, with the interval of their ratio against wrk's ratio.
//   3. A real upgrade nobody here wrote: the same small JSON API on Express 4 and Express 5 (devDependencies express4,
//      express5; test/fixtures/framework-app.mjs). wrk measures each; two `cutover capacity` runs, with nothing else
//      running (these services burn CPU: a busy loop beside them would move their knees), judge new against old.
//      --skip-upgrade leaves it out; --only-upgrade runs it alone.
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
import { canPin, pinSelf, pinnedNode } from './support/pinning.js'

const fixture = fileURLToPath(new URL('../test/fixtures/fixed-time-server.mjs', import.meta.url))
const frameworkApp = fileURLToPath(new URL('../test/fixtures/framework-app.mjs', import.meta.url))
const write = (text: string): void => { process.stdout.write(text) }
const quick = process.argv.includes('--quick')
const repeats = quick ? 1 : 3
const services = { old: 1, new: 1.25 } as const

async function startService (workMs: number): Promise<{ port: number, child: ChildProcess }> {
  return await startProcess(fixture, { WORK_MS: String(workMs) })
}

async function startProcess (file: string, env: Record<string, string>, core?: number): Promise<{ port: number, child: ChildProcess }> {
  const port = await freePort()
  const [command, args] = core === undefined ? [process.execPath, [file]] : pinnedNode(core, [file])
  const child = spawn(command, args, { env: { ...process.env, PORT: String(port), ...env }, stdio: ['ignore', 'pipe', 'ignore'] })
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve())
    child.once('exit', () => reject(new Error('a service did not start')))
  })
  return { port, child }
}

/** wrk's Requests/sec against one service: 8 connections, one thread, `seconds` long, the best of two. */
function wrkMax (port: number, seconds: number, path = '/', core?: number): number {
  let best = 0
  for (let i = 0; i < 2; i++) {
    const wrkArgs = ['-t1', '-c8', `-d${seconds}s`, `http://127.0.0.1:${port}${path}`]
    const [command, args] = core !== undefined && canPin() ? ['taskset', ['-c', String(core), 'wrk', ...wrkArgs]] : ['wrk', wrkArgs]
    const out = execFileSync(command, args, { encoding: 'utf8' })
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
  if (process.argv.includes('--only-upgrade')) {
    try {
      await upgrade(dir, quick ? 5 : 10)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    write(`total ${((Date.now() - started) / 1000).toFixed(0)} s\n`)
    return
  }
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
    const ceilings: Array<{ old: number, new: number, ratio: number, ci: [number, number] }> = []
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
      const metric = result.comparison?.metrics.find((m) => m.name === 'capacity')
      if (o.ceiling !== undefined && n.ceiling !== undefined && metric !== undefined && Number.isFinite(metric.ci[0])) {
        ceilings.push({ old: o.ceiling.rps, new: n.ceiling.rps, ratio: metric.ratio, ci: metric.ci })
        const inside = wrkNew / wrkOld >= metric.ci[0] && wrkNew / wrkOld <= metric.ci[1] ? 'inside' : 'outside'
        write(`      ceilings (closed-model holds): old ${o.ceiling.rps} [${o.ceiling.ci.join('–')}], new ${n.ceiling.rps} [${n.ceiling.ci.join('–')}] req/s; ratio ${metric.ratio.toFixed(3)}, 95% CI ${metric.ci[0].toFixed(3)}–${metric.ci[1].toFixed(3)} (wrk's ratio ${inside}); ${metric.verdict}\n`)
      } else {
        write(`      no ceiling comparison: ${metric?.message ?? 'none'}\n`)
      }
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
    if (ceilings.length > 0) {
      const ceilingRatio = median(ceilings.map((c) => c.ratio))
      const covered = ceilings.filter((c) => wrkNew / wrkOld >= c.ci[0] && wrkNew / wrkOld <= c.ci[1]).length
      write(`ceiling ratio new/old, median of runs: ${ceilingRatio.toFixed(3)} (${pct(ceilingRatio / (wrkNew / wrkOld) - 1)} from wrk's); wrk's ratio inside the run's 95% interval in ${covered} of ${ceilings.length} runs; ` +
        `ceilings against wrk's maximum: old ${(median(ceilings.map((c) => c.old)) / wrkOld).toFixed(2)}×, new ${(median(ceilings.map((c) => c.new)) / wrkNew).toFixed(2)}×\n`)
      write(`interval widths (high/low): ${ceilings.map((c) => (c.ci[1] / c.ci[0]).toFixed(3)).join(', ')}\n`)
    }
    write(`\nGOAL: ${repeats} repeats within ±10% of each other with a CPU-bound process beside: ${spreadWithin('old') && spreadWithin('new') ? 'MET' : 'MISSED'}\n`)
    write(`GOAL: knee ratio within ±15% of wrk's: ${Math.abs(agreement) <= 0.15 ? 'MET' : 'MISSED'} (${pct(agreement)})\n`)
    hog.kill('SIGKILL')
    hog = undefined
    if (!process.argv.includes('--skip-upgrade')) await upgrade(dir, wrkSeconds)
  } finally {
    hog?.kill('SIGKILL')
    old.child.kill('SIGTERM')
    next.child.kill('SIGTERM')
    rmSync(dir, { recursive: true, force: true })
  }
  write(`total ${((Date.now() - started) / 1000).toFixed(0)} s\n`)
}

/** Part 3: Express 4 → 5 serving the same app, judged by wrk and by `cutover capacity` (nothing else running). */
async function upgrade (dir: string, wrkSeconds: number): Promise<void> {
  const path = '/api/items/7'
  // the services on core 1, the generators (cutover, this process; wrk) on core 0: a CPU-bound service sharing its core
  // with the generator measures the pair, not the service (unpinned, two runs gave ceiling ratios 1.114 and 0.910)
  const pin = canPin()
  if (pin) pinSelf(0)
  const old = await startProcess(frameworkApp, { FRAMEWORK: 'express4' }, pin ? 1 : undefined)
  const next = await startProcess(frameworkApp, { FRAMEWORK: 'express5' }, pin ? 1 : undefined)
  try {
    const versions = (name: string): string => (JSON.parse(execFileSync(process.execPath, ['-p', `JSON.stringify(require('${name}/package.json').version)`], { encoding: 'utf8' })) as string)
    write(`\nA real upgrade: Express ${versions('express4')} → ${versions('express5')}, the same JSON API (GET ${path}), nothing else running; ${pin ? 'services on core 1, wrk and cutover on core 0' : 'not pinned (no taskset)'}\n`)
    const wrkOld = wrkMax(old.port, wrkSeconds, path, pin ? 0 : undefined)
    const wrkNew = wrkMax(next.port, wrkSeconds, path, pin ? 0 : undefined)
    const wrkRatio = wrkNew / wrkOld
    write(`wrk -t1 -c8 -d${wrkSeconds}s, best of two: old ${wrkOld.toFixed(0)} req/s, new ${wrkNew.toFixed(0)} req/s, new/old ${wrkRatio.toFixed(3)}\n`)
    const runs = quick ? 1 : 3
    for (let run = 0; run < runs; run++) {
      const scenario = parseScenario(`
name: express-upgrade
targets:
  old: { url: "http://127.0.0.1:${old.port}" }
  new: { url: "http://127.0.0.1:${next.port}" }
requests: [{ name: item, path: ${path}, timeout: 2s }]
phases: [{ name: unused, duration: 1s, rate: 1 }]
capacity: { start: 500, stepDuration: 3s, max: 20000 }
checks: { slo: { p99: 100ms } }
`, join(dir, `upgrade-${run}.yaml`))
      const t0 = Date.now()
      const { result } = await runCapacity(scenario, { out: join(dir, `upgrade-run-${run}`), progress: silentProgress, signal: new AbortController().signal, env: {}, seed: run + 1 })
      const o = result.targets.old?.capacity
      const n = result.targets.new?.capacity
      const metric = result.comparison?.metrics.find((m) => m.name === 'capacity')
      if (o === undefined || n === undefined || metric === undefined) throw new Error('an upgrade run gave no knee')
      const ceiling = (c: typeof o): string => c.ceiling === undefined ? 'no ceiling' : `ceiling ${c.ceiling.rps} [${c.ceiling.ci.join('–')}]`
      const inside = Number.isFinite(metric.ci[0]) ? (wrkRatio >= metric.ci[0] && wrkRatio <= metric.ci[1] ? "wrk's ratio inside" : "wrk's ratio outside") : 'no interval'
      write(`run ${run + 1} (${((Date.now() - t0) / 1000).toFixed(0)} s): old knee ${o.maxRps} (${o.limitedBy}), ${ceiling(o)}; new knee ${n.maxRps} (${n.limitedBy}), ${ceiling(n)}; ` +
        `knee ratio ${(n.maxRps / o.maxRps).toFixed(3)}; compared: ${metric.ratio.toFixed(3)} (95% CI ${metric.ci.map((x) => Number.isFinite(x) ? x.toFixed(3) : '–').join('–')}, ${inside}), ${metric.verdict} (${pct(metric.ratio / wrkRatio - 1)} from wrk's)\n`)
    }
  } finally {
    old.child.kill('SIGTERM')
    next.child.kill('SIGTERM')
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  process.stderr.write(`bench:capacity failed: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
