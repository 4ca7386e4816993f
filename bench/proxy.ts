// `npm run bench:proxy` (issue 18, item 7): what `cutover proxy` costs callers, against no proxy and against Debian's
// nginx as a reverse proxy, in one run. The upstream (nginx answering "ok") and the load generators share core 0;
// the proxy under test (cutover or nginx) runs alone on core 1. Figures:
//   1. latency the proxy adds at 2,000 req/s, steady state (bench/support/fixed-rate.mjs: 20 connections with
//      TCP_NODELAY, timed from intended send times, after 5 s of warm-up): p50 and p99 through nginx proxy_pass (the
//      reference), through cutover forwarding every caller, and through cutover in mirror mode (mirroring to a second
//      nginx port), each minus direct to the upstream (the mean of a direct run before and after);
//   2. highest throughput on one core (wrk -t1 -c64): cutover forwarding every caller (rollout at 100%, nothing
//      mirrored) against nginx proxy_pass with upstream keep-alive, and a minimal Node.js proxy
//      (bench/fixtures/minimal-proxy.mjs) on the same core: the ceiling Node.js's HTTP stack sets;
//   3. cutover's own RSS at 2,000 req/s in mirror mode over --minutes (default 10), judged by its leak detector.
// --only-soak: part 3 alone. --quick: shorter runs (latency 10 s, throughput 5 s, RSS 1 minute). --mirror-yield 50%: proxy.mirrorYield of the
// mirror-mode runs (default the proxy's own, 80%).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { detectLeak } from '../src/analysis/leak/detector.js'
import { formatRate, formatRateInterval } from '../src/analysis/leak/format.js'
import type { MemorySample } from '../src/analysis/leak/types.js'
import { canPin, pinnedNode, startPinnedServer } from './support/pinning.js'
import { freePort, nginxConfig, waitForPort } from './support/ports.js'

const quick = process.argv.includes('--quick')
/** `--only-soak`: part 3 alone (cutover's own memory over --minutes). */
const onlySoak = process.argv.includes('--only-soak')
const minutesFlag = process.argv.indexOf('--minutes')
const minutes = minutesFlag > 0 ? Number(process.argv[minutesFlag + 1]) : quick ? 1 : 10
const yieldFlag = process.argv.indexOf('--mirror-yield')
/** `--mirror-yield 50%`: proxy.mirrorYield for the mirror-mode runs (default: the proxy's own, 80%). */
const mirrorYield = yieldFlag > 0 ? `, mirrorYield: ${process.argv[yieldFlag + 1] ?? '80%'}` : ''
const cli = fileURLToPath(new URL('../bin/cutover.js', import.meta.url))
const probe = fileURLToPath(new URL('./support/memory-probe.cjs', import.meta.url))
const autocannonBin = fileURLToPath(new URL('../node_modules/autocannon/autocannon.js', import.meta.url))
const fixedRateScript = fileURLToPath(new URL('./support/fixed-rate.mjs', import.meta.url))
const work = mkdtempSync(join(tmpdir(), 'cutover-bench-proxy-'))
const children: ChildProcess[] = []

const pinned = (core: number, command: string, args: string[]): [string, string[]] => canPin() ? ['taskset', ['-c', String(core), command, ...args]] : [command, args]

/** Debian's nginx with `server` blocks, one worker, pinned to `core`. */
async function nginx (name: string, core: number, servers: string, port: number): Promise<void> {
  const dir = join(work, name)
  mkdirSync(join(dir, 'logs'), { recursive: true })
  writeFileSync(join(dir, 'nginx.conf'), nginxConfig(dir, servers))
  const [command, args] = pinned(core, '/usr/sbin/nginx', ['-p', dir, '-c', join(dir, 'nginx.conf')])
  children.push(spawn(command, args, { stdio: 'inherit' }))
  await waitForPort(port)
}

/**
 * `cutover proxy` pinned to core 1 with `block` as its proxy: block; returns its URL once it listens. Its reports are
 * refreshed every 10 s (default 1 min), so every measurement window holds refreshes.
 */
async function cutoverProxy (name: string, upstream: string, mirror: string, block: string, memoryFile?: string): Promise<string> {
  const port = await freePort()
  const file = join(work, `${name}.yaml`)
  writeFileSync(file, `name: ${name}
targets: { old: { url: "${upstream}" }, new: { url: "${mirror}" } }
requests: [{ name: unused, path: / }]
phases: [{ name: unused, duration: 1s, rate: 1 }]
proxy: { listen: "127.0.0.1:${port}", reportEvery: 10s, ${block} }
`)
  const args = [...(memoryFile === undefined ? [] : ['--require', probe]), cli, 'proxy', file, '--out', join(work, `run-${name}`), '-q']
  const [command, pinnedArgs] = pinnedNode(1, args)
  children.push(spawn(command, pinnedArgs, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, CI: 'true', ...(memoryFile === undefined ? {} : { CUTOVER_MEMORY_PROBE: memoryFile }) } }))
  await waitForPort(port)
  return `http://127.0.0.1:${port}`
}

/** bench/fixtures/minimal-proxy.mjs in front of `upstream`, pinned to core 1; returns its URL once it listens. */
async function minimalProxy (upstream: string): Promise<string> {
  const server = await startPinnedServer('minimal-proxy.mjs', 1, [upstream])
  children.push(server.child)
  return server.url
}

/** autocannon at a fixed rate from core 0: latency percentiles in ms. */
function fixedRate (url: string, seconds: number): { p50: number, p99: number, rps: number, errors: number } {
  const [command, args] = pinned(0, process.execPath, [autocannonBin, '-R', '2000', '-c', '20', '-d', String(seconds), '--json', url])
  const out = JSON.parse(execFileSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] })) as { latency: { p50: number, p99: number }, requests: { average: number }, errors: number, non2xx: number }
  return { p50: out.latency.p50, p99: out.latency.p99, rps: out.requests.average, errors: out.errors + out.non2xx }
}

/** Latency percentiles in ms from the fixed-rate generator. */
interface Latency { p50: number, p90: number, p99: number, max: number, sent: number, errors: number }

/** 2,000 req/s from core 0 with TCP_NODELAY, timed from intended send times, after 5 s of warm-up at the same rate. */
function steadyLatency (url: string, seconds: number): Latency {
  const [command, args] = pinned(0, process.execPath, [fixedRateScript, url, '2000', String(seconds), '5'])
  return JSON.parse(execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })) as Latency
}

/** wrk from core 0, closed model: requests per second. */
function throughput (url: string, seconds: number): number {
  const [command, args] = pinned(0, 'wrk', ['-t1', '-c64', `-d${seconds}s`, url])
  const out = execFileSync(command, args, { encoding: 'utf8' })
  return Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0)
}

/** Stops every child and waits until each has exited (cutover writes its run directory on the way out). */
async function stopAll (): Promise<void> {
  await Promise.all(children.splice(0).map(async (child) => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }))
}

async function main (): Promise<void> {
  const upstreamPort = await freePort()
  const mirrorPort = await freePort()
  const nginxProxyPort = await freePort()
  const upstreamServers = `  server { listen 127.0.0.1:${upstreamPort}; location / { return 200 'ok'; } }
  server { listen 127.0.0.1:${mirrorPort}; location / { return 200 'ok'; } }`
  await nginx('upstream', 0, upstreamServers, upstreamPort)
  const upstream = `http://127.0.0.1:${upstreamPort}`
  const mirror = `http://127.0.0.1:${mirrorPort}`
  const rows: Array<[string, string, string, string]> = []
  const seconds = quick ? 10 : 20

  if (!onlySoak) {
    // 1. the latency a proxy adds at 2,000 req/s, steady state (after a warm-up at the same rate), each against a direct
    //    run measured the same way: nginx proxy_pass (the reference), cutover forwarding every caller, cutover mirroring
    await nginx('reverse', 1, `  upstream origin { server 127.0.0.1:${upstreamPort}; keepalive 64; }
    server { listen 127.0.0.1:${nginxProxyPort}; location / { proxy_pass http://origin; proxy_http_version 1.1; proxy_set_header Connection ""; } }`, nginxProxyPort)
    const forwarding = await cutoverProxy('forward', upstream, upstream, 'mode: rollout, rollout: { steps: [100%] }')
    const direct = steadyLatency(`${upstream}/`, seconds)
    const viaNginx = steadyLatency(`http://127.0.0.1:${nginxProxyPort}/`, seconds)
    const viaForward = steadyLatency(`${forwarding}/`, seconds)
    const directAgain = steadyLatency(`${upstream}/`, seconds)
    const added = (through: Latency, figure: 'p50' | 'p99'): number => through[figure] - (direct[figure] + directAgain[figure]) / 2
    const addedRow = (label: string, through: Latency, goals: boolean): Array<[string, string, string, string]> => (['p50', 'p99'] as const).map((figure) => {
      const value = added(through, figure)
      const goal = figure === 'p50' ? 0.3 : 1
      return [`${label}, ${figure}`, `${value >= 0 ? '+' : ''}${value.toFixed(2)} ms (direct ${direct[figure]} / ${directAgain[figure]} ms, through ${through[figure]} ms; max ${through.max} ms, ${through.errors} errors)`, goals ? `≤ ${goal} ms` : 'reference', goals ? (value <= goal ? 'met' : 'MISSED') : '']
    })
    rows.push(...addedRow('latency nginx proxy_pass adds at 2,000 req/s', viaNginx, false))
    rows.push(...addedRow('latency cutover adds at 2,000 req/s, forwarding', viaForward, true))

    // 2. highest throughput on one core: cutover forwarding everything vs nginx proxy_pass
    const cutoverRps = throughput(`${forwarding}/`, quick ? 5 : 10)
    const nginxRps = throughput(`http://127.0.0.1:${nginxProxyPort}/`, quick ? 5 : 10)
    const ratio = cutoverRps / nginxRps
    // the ceiling Node.js's HTTP stack sets: the least a Node.js proxy can be, on the same core
    const minimal = await minimalProxy(upstream)
    const minimalRps = throughput(`${minimal}/`, quick ? 5 : 10)
    await stopAll()
    await nginx('upstream', 0, upstreamServers, upstreamPort)

    // 1b. the same latency in mirror mode: every read mirrored to new, 10% a second time to old, answers reconciled
    const mirrored = await cutoverProxy('mirror', upstream, mirror, `noiseSample: 10%${mirrorYield}`)
    const viaMirror = steadyLatency(`${mirrored}/`, seconds)
    await stopAll()
    // what the mirror did meanwhile: it yields while the proxy's event loop is over proxy.mirrorYield (80%) busy
    const counts = (JSON.parse(readFileSync(join(work, 'run-mirror', 'result.json'), 'utf8')) as { proxy?: { mirror?: { mirrored: number, shed?: number, dropped: number } } }).proxy?.mirror
    rows.push(...addedRow(`latency cutover adds at 2,000 req/s, mirror mode (mirrored ${counts?.mirrored ?? 0}, shed ${counts?.shed ?? 0}, dropped ${counts?.dropped ?? 0})`, viaMirror, true))
    rows.push(['highest throughput on one core vs nginx proxy_pass', `${ratio.toFixed(2)}× (cutover ${cutoverRps.toFixed(0)} req/s, nginx ${nginxRps.toFixed(0)} req/s; wrk -t1 -c64)`, '≥ 0.5×', ratio >= 0.5 ? 'met' : 'MISSED'])
    rows.push(['the same, a minimal Node.js proxy (node:http + undici dispatch, bench/fixtures/minimal-proxy.mjs)', `${(minimalRps / nginxRps).toFixed(2)}× nginx (${minimalRps.toFixed(0)} req/s); cutover is ${(cutoverRps / minimalRps).toFixed(2)}× it`, 'reference', ''])
    await nginx('upstream', 0, upstreamServers, upstreamPort)
  }

  // 3. cutover's own memory at 2,000 req/s in mirror mode
  const memoryFile = join(work, 'memory.ndjson')
  writeFileSync(memoryFile, '')
  const soaked = await cutoverProxy('soak', upstream, mirror, `noiseSample: 10%${mirrorYield}`, memoryFile)
  const load = fixedRate(`${soaked}/`, minutes * 60)
  const samples: MemorySample[] = readFileSync(memoryFile, 'utf8').split('\n').filter((line) => line !== '').map((line) => ({ ...(JSON.parse(line) as { tSec: number, rssBytes: number, heapBytes: number, heapCommittedBytes: number }), phase: 'steady', load: 2000 }))
  const leak = detectLeak({ samples })
  const peak = Math.max(...samples.map((sample) => sample.rssBytes))
  rows.push([`cutover proxy RSS, ${minutes} min at 2,000 req/s, mirror mode`, `peak ${(peak / 1e6).toFixed(0)} MB, last ${((samples.at(-1)?.rssBytes ?? 0) / 1e6).toFixed(0)} MB (${load.rps.toFixed(0)} req/s, ${load.errors} errors)`, 'bounded', peak < 250e6 ? 'met' : 'MISSED'])
  rows.push(['cutover proxy leak verdict (its own heap)', `${leak.verdict}: slope ${formatRate(leak.slopeBytesPerSec)}, 95% CI ${formatRateInterval(leak.slopeCi[0], leak.slopeCi[1])}, ${samples.length} samples (${leak.reason})`, 'stable', minutes < 10 ? 'reported (judged in the 10-minute run)' : leak.verdict === 'stable' || leak.verdict === 'saturating' ? 'met' : 'MISSED'])
  await stopAll()

  console.log(`\nbench:proxy — ${new Date().toISOString()}, Node ${process.version}, ${canPin() ? 'upstream and generators on core 0, the proxy under test on core 1' : 'not pinned (no taskset)'}${quick ? ', --quick' : ''}\n`)
  console.log('| figure | measured | goal | |\n| --- | --- | --- | --- |')
  for (const row of rows) console.log(`| ${row.join(' | ')} |`)
}

try {
  await main()
} finally {
  await stopAll()
  rmSync(work, { recursive: true, force: true })
}
