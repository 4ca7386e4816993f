// `npm run bench:scale` (issue 16): how much open-model load cutover holds from one thread and from two worker
// threads on this machine, against Debian's nginx (the cheapest server here, so the generator is what is measured)
// and against an Express 5 app on its own core; and the CPU each request costs with 1 and 2 workers and with
// autocannon -R at the same rate, each run as a user runs it (a child process; its CPU from the kernel's account of
// it, every thread counted), per request as the difference between a long and a short run so start-up, analysis and
// reports drop out. Ratios in one run; conditions printed beside every figure.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { RunResult } from '../src/core/result-types.js'
import { readKernelFile } from '../src/sampling/kernel-file.js'
import { parseProcStat } from '../src/sampling/proc-stat.js'
import { canPin, pinnedNode } from './support/pinning.js'
import { freePort, nginxConfig, waitForPort } from './support/ports.js'

const quick = process.argv.includes('--quick')

/** Debian's nginx answering "ok" on a loopback port, one worker process, no access log. */
async function startNginx (): Promise<{ url: string, stop: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-nginx-'))
  mkdirSync(join(dir, 'logs'))
  const port = await freePort()
  writeFileSync(join(dir, 'nginx.conf'), nginxConfig(dir, `  server { listen 127.0.0.1:${port}; location / { return 200 'ok'; } }`))
  const child = spawn('/usr/sbin/nginx', ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'inherit' })
  await waitForPort(port)
  return { url: `http://127.0.0.1:${port}`, stop: () => { child.kill('SIGTERM'); rmSync(dir, { recursive: true, force: true }) } }
}

/** The Express 5 app of bench:capacity, pinned to core 1 when taskset is there. */
async function startExpress (): Promise<{ url: string, stop: () => void }> {
  const port = await freePort()
  const [command, args] = pinnedNode(1, [fileURLToPath(new URL('../test/fixtures/framework-app.mjs', import.meta.url))])
  const child: ChildProcess = spawn(command, args, { env: { ...process.env, FRAMEWORK: 'express5', PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] })
  await waitForPort(port)
  return { url: `http://127.0.0.1:${port}/api/items/7`, stop: () => { child.kill('SIGTERM') } }
}

interface Measured { result: RunResult, cpuMicros: number }

const clockTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim())
const cliPath = fileURLToPath(new URL('../bin/cutover.js', import.meta.url))

/**
 * Runs `node args…` as a user runs it, and the CPU it used (user + system, every thread): the shell that waited
 * for it reads its children's times from /proc after it ended.
 */
function timedNode (args: string[]): { stdout: string, cpuMicros: number } {
  const quoted = args.map((arg) => `'${arg.replace(/'/g, "'\\''")}'`).join(' ')
  const output = execFileSync('bash', ['-c', `'${process.execPath}' ${quoted} > "$OUT"; cat /proc/$$/stat`], { encoding: 'utf8', env: { ...process.env, OUT: join(tmpdir(), `cutover-scale-${process.pid}.out`) }, maxBuffer: 64 * 1024 * 1024 })
  // the children's times (cutime, cstime) of the shell that waited for node
  const stat = parseProcStat(output)
  if (stat === undefined) throw new Error(`not a /proc stat line: ${output.slice(0, 80)}`)
  const ticks = stat.cutimeTicks + stat.cstimeTicks
  const stdout = readFileSync(join(tmpdir(), `cutover-scale-${process.pid}.out`), 'utf8')
  return { stdout, cpuMicros: (ticks / clockTicksPerSecond) * 1e6 }
}

/** Writes a one-target scenario of `phases` (YAML list items) against `url` into `dir`; returns its file. */
function writeScenario (dir: string, url: string, phases: string): string {
  const target = new URL(url)
  const file = join(dir, 'scale.yaml')
  writeFileSync(file, `name: scale
targets: { svc: { url: "${target.origin}" } }
requests: [{ name: get, path: "${target.pathname}" }]
phases:
${phases}
`)
  return file
}

/** One `cutover run` of a one-target scenario, as a child process. */
async function runCutover (url: string, phases: string, workers: number): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-scale-'))
  try {
    const file = writeScenario(dir, url, phases)
    const { cpuMicros } = timedNode([cliPath, 'run', file, '-q', '--seed', '1', '--workers', String(workers), '--out', join(dir, 'run')])
    const result = JSON.parse(readFileSync(join(dir, 'run', 'result.json'), 'utf8')) as RunResult
    return { result, cpuMicros }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const steadyOf = (result: RunResult): RunResult['targets'][string]['phases'][number] | undefined => result.targets.svc?.phases.find((phase) => phase.name === 'steady')

/**
 * The highest rate of `rates` held strictly (within 1% of the rate, the generator's send lag p99 ≤ 2 ms, nothing
 * failed; up to the last rate held loosely) and loosely (within 1%, at most 1% of sends over 10 ms late: the
 * criterion of npm run bench). A rate that misses is tried once more, as `cutover capacity` tries a step again, since on a machine that shares its cores one
 * 5-second run can catch a hiccup of the machine (a send lag max of 18 ms between two runs of 2 ms); it is held when
 * either try holds, and both tries are printed.
 */
async function highestHeld (url: string, rates: number[], workers: number): Promise<{ strict: number, loose: number, tried: string[] }> {
  let strict = 0
  let loose = 0
  const tried: string[] = []
  const once = async (rate: number): Promise<{ strictly: boolean, loosely: boolean, line: string }> => {
    const { result } = await runCutover(url, `  - { name: ramp, duration: 1s, rate: { from: ${Math.round(rate / 4)}, to: ${rate} } }\n  - { name: steady, duration: ${quick ? 3 : 5}s, rate: ${rate} }`, workers)
    const steady = steadyOf(result)
    const achieved = steady?.throughput ?? 0
    const lag = steady?.generator.sendLagMs
    const failed = steady?.requests.failed ?? 1
    const behind = steady?.generator.behindRate ?? 1
    const within = achieved >= rate * 0.99 && failed === 0
    const strictly = within && (lag?.p99 ?? 99) <= 2
    const loosely = within && behind <= 0.01
    return { strictly, loosely, line: `${achieved.toFixed(0)} req/s, send lag p50 ${lag?.p50.toFixed(2)} p99 ${lag?.p99.toFixed(2)} max ${lag?.max.toFixed(1)} ms, ${(behind * 100).toFixed(2)}% late, failed ${failed}${strictly ? '' : loosely ? ' (lag p99 > 2 ms)' : ' ✗'}` }
  }
  for (const rate of rates) {
    const first = await once(rate)
    const second = first.strictly ? undefined : await once(rate)
    const heldStrictly = first.strictly || second?.strictly === true
    const heldLoosely = first.loosely || second?.loosely === true
    tried.push(`${rate}: ${first.line}${second === undefined ? '' : `; again: ${second.line}`}`)
    // the send lag is the machine's as much as the generator's: a rung below can miss through a hiccup of the machine
    // (seen at 2,500 req/s twice in a row, and held at every rate from 5,000 to 30,000 after it), so the highest rate
    // held strictly counts, not the first miss; every try is printed
    if (heldStrictly) strict = rate
    if (!heldLoosely) break
    loose = rate
  }
  return { strict, loose, tried }
}

/** CPU per request in steady state: the difference between a long and a short run, so start-up and analysis drop out. */
async function cpuPerRequest (url: string, rate: number, workers: number): Promise<{ micros: number, detail: string }> {
  const phases = (seconds: number): string => `  - { name: steady, duration: ${seconds}s, rate: ${rate} }`
  const short = await runCutover(url, phases(2), workers)
  const long = await runCutover(url, phases(quick ? 5 : 8), workers)
  const requests = (m: Measured): number => m.result.targets.svc?.requests.total ?? 0
  const micros = (long.cpuMicros - short.cpuMicros) / (requests(long) - requests(short))
  return { micros, detail: `${requests(long) - requests(short)} requests between a ${quick ? 5 : 8} s and a 2 s run at ${rate} req/s` }
}

/** Each thread's CPU ticks now, by thread id (the kernel's account in /proc/<pid>/task). */
function threadTicks (pid: number): Map<number, number> {
  const ticks = new Map<number, number>()
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    // a thread that ended between the listing and the read is left out
    const text = readKernelFile(`/proc/${pid}/task/${tid}/stat`)
    const stat = text === undefined ? undefined : parseProcStat(text)
    if (stat !== undefined) ticks.set(Number(tid), stat.utimeTicks + stat.stimeTicks)
  }
  return ticks
}

/**
 * Where the CPU of a run goes, per request, between 2.5 s and 7.5 s of an 8 s steady phase: the main thread (with
 * --workers it merges the workers' events and writes the timeline), the busiest `workers` other threads (the load
 * worker threads), and the rest (V8's and libuv's helpers).
 */
async function cpuByThread (url: string, rate: number, workers: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-scale-'))
  try {
    const file = writeScenario(dir, url, `  - { name: steady, duration: 8s, rate: ${rate} }`)
    const child = spawn(process.execPath, [cliPath, 'run', file, '-q', '--seed', '1', '--workers', String(workers), '--out', join(dir, 'run')], { stdio: 'ignore' })
    const exited = new Promise((resolve) => child.once('exit', resolve))
    const pid = child.pid as number
    // the load starts once the process has loaded; its steady phase is timed from the start
    await new Promise((resolve) => setTimeout(resolve, 2500))
    const before = threadTicks(pid)
    await new Promise((resolve) => setTimeout(resolve, 5000))
    const after = threadTicks(pid)
    await exited
    const used = [...after].map(([tid, ticks]) => ({ tid, ms: (ticks - (before.get(tid) ?? ticks)) * 1000 / clockTicksPerSecond }))
    const requests = rate * 5
    const perRequest = (ms: number): string => `${(ms * 1000 / requests).toFixed(1)} µs`
    const main = used.find((thread) => thread.tid === pid)?.ms ?? 0
    const others = used.filter((thread) => thread.tid !== pid).sort((a, b) => b.ms - a.ms)
    const loadThreads = workers > 1 ? others.slice(0, workers) : []
    const rest = (workers > 1 ? others.slice(workers) : others).reduce((sum, thread) => sum + thread.ms, 0)
    return `main thread ${perRequest(main)}${loadThreads.length > 0 ? `, worker threads ${loadThreads.map((thread) => perRequest(thread.ms)).join(' + ')}` : ''}, other threads ${perRequest(rest)}`
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function autocannonCpuPerRequest (url: string, rate: number): Promise<number> {
  const autocannonCli = fileURLToPath(new URL('../node_modules/autocannon/autocannon.js', import.meta.url))
  const run = (seconds: number): { cpu: number, requests: number } => {
    const { stdout, cpuMicros } = timedNode([autocannonCli, '--json', '-R', String(rate), '-c', '50', '-d', String(seconds), url])
    return { cpu: cpuMicros, requests: (JSON.parse(stdout) as { requests: { total: number } }).requests.total }
  }
  const short = run(2)
  const long = run(quick ? 5 : 8)
  return (long.cpu - short.cpu) / (long.requests - short.requests)
}

async function main (): Promise<void> {
  try { execFileSync('/usr/sbin/nginx', ['-v'], { stdio: 'ignore' }) } catch { throw new Error('bench:scale needs Debian\'s nginx: apt-get install nginx-light') }
  process.stdout.write(`cutover bench:scale — node ${process.version}, ${availableParallelism()} cores, nothing pinned against nginx (it shares the cores with the generator); Express 5 ${canPin() ? 'pinned to core 1' : 'not pinned'}\n`)
  const nginx = await startNginx()
  try {
    // the lower rungs find where the send lag p99 still stays within 2 ms; the upper ones where the rate is still held
    const rates = quick ? [5000, 10_000, 20_000, 30_000] : [2500, 5000, 7500, 10_000, 15_000, 20_000, 25_000, 30_000, 35_000, 40_000, 45_000, 50_000, 60_000]
    const held: Record<number, { strict: number, loose: number }> = {}
    for (const workers of [1, 2]) {
      const { strict, loose, tried } = await highestHeld(nginx.url, rates, workers)
      held[workers] = { strict, loose }
      process.stdout.write(`highest open-model rate held against nginx, ${workers} worker${workers === 1 ? ' (the main thread)' : 's'}: ${strict} req/s with send lag p99 ≤ 2 ms, ${loose} req/s with ≤ 1% of sends over 10 ms late\n      ${tried.join('\n      ')}\n`)
    }
    for (const kind of ['strict', 'loose'] as const) {
      const ratio = (held[2]?.[kind] ?? 0) / Math.max(held[1]?.[kind] ?? 0, 1)
      process.stdout.write(`${ratio >= 1.3 ? 'MET ' : 'MISS'}  2 workers / 1, held ${kind === 'strict' ? 'with send lag p99 ≤ 2 ms' : 'with ≤ 1% late'}: ${ratio.toFixed(2)}× (goal ≥ 1.3× on this 2-core machine)\n`)
    }
    const rate = 5000
    const one = await cpuPerRequest(nginx.url, rate, 1)
    const two = await cpuPerRequest(nginx.url, rate, 2)
    const reference = await autocannonCpuPerRequest(nginx.url, rate)
    const split = two.micros / one.micros
    process.stdout.write(`${Math.abs(split - 1) <= 0.1 ? 'MET ' : 'MISS'}  CPU per request, 2 workers / 1: ${split.toFixed(2)}× (${two.micros.toFixed(1)} vs ${one.micros.toFixed(1)} µs; goal within 10%)\n      ${one.detail}\n      where it goes at ${rate} req/s, per request: 1 thread: ${await cpuByThread(nginx.url, rate, 1)}; 2 workers: ${await cpuByThread(nginx.url, rate, 2)}\n`)
    // each thread's event loop wakes for its timer and its answers whatever its share of the rate, so at a low rate
    // two loops cost more per request than one; at twice the rate the same comparison shows how much of that is left
    const busier = 2 * rate
    const oneBusier = await cpuPerRequest(nginx.url, busier, 1)
    const twoBusier = await cpuPerRequest(nginx.url, busier, 2)
    const splitBusier = twoBusier.micros / oneBusier.micros
    process.stdout.write(`${Math.abs(splitBusier - 1) <= 0.1 ? 'MET ' : 'MISS'}  CPU per request at ${busier} req/s, 2 workers / 1: ${splitBusier.toFixed(2)}× (${twoBusier.micros.toFixed(1)} vs ${oneBusier.micros.toFixed(1)} µs; goal within 10%)\n`)
    const against = one.micros / reference
    process.stdout.write(`${against <= 1.2 ? 'MET ' : 'MISS'}  open-model CPU per request vs autocannon -R ${rate}: ${against.toFixed(2)}× (${one.micros.toFixed(1)} vs ${reference.toFixed(1)} µs; goal ≤ 1.2×)\n`)
  } finally {
    nginx.stop()
  }
  const express = await startExpress()
  try {
    const rates = quick ? [2000, 4000] : [2000, 4000, 6000, 8000, 10_000, 12_000, 14_000, 16_000]
    for (const workers of [1, 2]) {
      const { strict, loose, tried } = await highestHeld(express.url, rates, workers)
      process.stdout.write(`highest open-model rate held against Express 5 on its own core, ${workers} worker${workers === 1 ? '' : 's'}: ${strict} req/s with send lag p99 ≤ 2 ms, ${loose} req/s with ≤ 1% late\n      ${tried.join('\n      ')}\n`)
    }
  } finally {
    express.stop()
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  process.stderr.write(`bench:scale failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`)
  process.exit(1)
})
