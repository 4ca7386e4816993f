// `npm run bench:compare [-- --runs N] [-- --real N]`: how often old-vs-new verdicts are wrong, and how fast they settle.
// Synthetic slice-structured runs (shared warm-up drift, AR(1) noise of the machine, heavy-tailed latency) with known
// effects, judged by cutover's own analysis; then real runs of two local services. Prints rates with Wilson intervals.
import { demoPhases, noEffect, share, tallyRuns, tallySettling, type SettleTally, type Tally } from './compare/synthetic-bench.js'
import { oraclePower, trueRatio, type Layout } from '../test/support/slice-runs.js'
import { realComparisons } from './compare/real-bench.js'

const argument = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name)
  return at >= 0 ? Number(process.argv[at + 1]) : fallback
}

const write = (text: string): void => { process.stdout.write(`${text}\n`) }

function printTally (title: string, tally: Tally, show: 'failed' | 'covered' | 'inconclusive', metrics: string[]): void {
  write(`  ${title}`)
  for (const metric of metrics) write(`    ${metric.padEnd(14)} ${share((show === 'failed' ? tally.failed : show === 'covered' ? tally.covered : tally.inconclusive)[metric] ?? 0, tally.runs)}`)
  if (show === 'failed') write(`    ${'any metric'.padEnd(14)} ${share(tally.anyFailed, tally.runs)}`)
}

async function main (): Promise<void> {
  const runs = argument('--runs', 400)
  const real = argument('--real', 2)
  const metrics = ['p50', 'p95', 'p99', 'throughput', 'cpuPerRequest', 'rssMean']
  // the default slice first; --slices 1500,2500,5000 compares lengths
  const at = process.argv.indexOf('--slices')
  const sliceLengths = at >= 0 ? (process.argv[at + 1] ?? '').split(',').map(Number) : [2500]
  for (const sliceMs of sliceLengths) {
    const demo: Layout = { schedule: 'interleaved', sliceMs, phases: demoPhases }
    if (process.argv.includes('--settle-only')) {
      settleReport(demo, sliceMs)
      continue
    }
    write(`synthetic runs in the demo's layout (warm-up 8 s, steady 24 s at 300 req/s, flood 10 s, slices ${sliceMs / 1000} s), ${runs} runs each:`)
    printTally('A/A false-fail rate (goal ≤ 2.5% per metric), paired by round:', tallyRuns(demo, noEffect, {}, runs, 1000), 'failed', metrics)
    printTally('A/A false-fail rate, the shipped unpaired method on the same runs:', tallyRuns(demo, noEffect, {}, runs, 1000, 'sequential'), 'failed', metrics)
    const scale = { body: 1.05, tail: 1.05, cpu: 1.05 }
    // coverage is judged against ± 1.5 points: that takes about 1,000 runs (a Wilson half-width of 1.3 points)
    const coverageRuns = argument('--coverage-runs', 1000)
    printTally(`coverage of the true +5% (goal 95% ± 1.5 points), paired, ${coverageRuns} runs:`, tallyRuns(demo, scale, { p50: 1.05, p95: 1.05, p99: 1.05, cpuPerRequest: 1.05 }, coverageRuns, 2000), 'covered', ['p50', 'p95', 'p99', 'cpuPerRequest'])
    printTally('coverage of the true +5%, the shipped unpaired method:', tallyRuns(demo, scale, { p50: 1.05, p95: 1.05, p99: 1.05, cpuPerRequest: 1.05 }, runs, 2000, 'sequential'), 'covered', ['p50', 'p95', 'p99', 'cpuPerRequest'])
    const slowerBody = { body: 1.15, tail: 1, cpu: 1 }
    const slowerTail = { body: 1, tail: 1.28, cpu: 1 } // p99 +25% (the spikes' share of the p99 is not all of it)
    printTally(`power: new's p50 +${((trueRatio(slowerBody, 50) - 1) * 100).toFixed(1)}% (tolerance +10%) failed within the demo's run (goal ≥ 90%):`, tallyRuns(demo, slowerBody, {}, runs, 3000), 'failed', ['p50'])
    printTally(`power: new's p99 +${((trueRatio(slowerTail, 99) - 1) * 100).toFixed(1)}% (tolerance +10%) failed within the demo's run (goal ≥ 90%):`, tallyRuns(demo, slowerTail, {}, runs, 4000), 'failed', ['p99'])
    // the ceiling: 24 s at 300 req/s is 7,200 requests a side, whatever the method
    write(`  the best any method could do with the same 7,200 requests a side (pooled p99, no drift or machine noise, its true`)
    write(`  standard error known): p99 +${((trueRatio(slowerTail, 99) - 1) * 100).toFixed(1)}% failed in ${(100 * oraclePower(slowerTail, 99, 7200, 0.10, 2000)).toFixed(1)}% of 2,000 runs; p50 +${((trueRatio(slowerBody, 50) - 1) * 100).toFixed(1)}% in ${(100 * oraclePower(slowerBody, 50, 7200, 0.10, 2000)).toFixed(1)}%`)
    if (!process.argv.includes('--no-settle')) settleReport(demo, sliceMs)
  }
  if (real > 0) await realComparisons(real, write)
}

/** `--until-settled` over synthetic A/A runs: false fails, how many settle as pass, and how long it takes. */
function settleReport (demo: Layout, sliceMs: number): void {
  const settleRuns = argument('--settle-runs', 100)
  settleLines('tolerances p50, p95, p99 +10% (the defaults)', tallySettling(demo, noEffect, settleRuns, 5000, 6, 72), settleRuns, sliceMs)
  const demoTolerances = { p50: { kind: 'relative', fraction: 0.10 }, p99: { kind: 'relative', fraction: 0.25 } } as const
  settleLines("the demo's tolerances (p50 +10%, p95 +10%, p99 +25%)", tallySettling(demo, noEffect, settleRuns, 5000, 6, 72, demoTolerances), settleRuns, sliceMs)
}

function settleLines (title: string, settling: SettleTally, settleRuns: number, sliceMs: number): void {
  // runs that never settled count as longer than any that did
  const sorted = [...settling.roundsToSettle, ...Array.from({ length: settling.runs - settling.roundsToSettle.length }, () => Infinity)].sort((a, b) => a - b)
  const median = sorted[Math.floor(sorted.length / 2)] ?? NaN
  // a round is two slices; the plan's other phases (8 s warm-up, 10 s flood, 3 s idle, each for both) come on top
  const minutes = (rounds: number): string => ((rounds * 2 * sliceMs / 1000 + 2 * (8 + 10 + 3)) / 60).toFixed(1)
  write(`  --until-settled, A/A, ${title}, looks after every round from round 10 (the planned ones), at most 72 rounds (${settleRuns} runs):`)
  write(`    false-fail rate (goal ≤ 2.5%)      ${share(settling.failed, settling.runs)}`)
  write(`    settled as pass                    ${share(settling.settled - settling.failed, settling.runs)}`)
  write(`    median rounds to settle            ${Number.isFinite(median) ? `${median} (≈ ${minutes(median)} min of run; goal ≤ 2 min)` : 'more than 72 (more than half never settled)'}`)
}

main().then(() => process.exit(0), (error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`)
  process.exit(1)
})
