// `npm run bench`: measures cutover's load generator against raw autocannon in the same process, and prints ratios.
// The service runs pinned to core 1 and the generator to core 0 when taskset is available.
import { closedThroughput, cpuPerRequest, maxHeldRate, type BenchFigure } from './generator.js'
import { reportFigures } from './report-size.js'
import { measureBoundedMemory, memoryFigures } from './memory-bound.js'
import { measureSamplerCost } from './sampler-cost.js'
import { canPin, pinSelf, startPinnedServer } from './support/pinning.js'

async function main (): Promise<void> {
  const quick = process.argv.includes('--quick')
  pinSelf(0)
  const server = await startPinnedServer('hello-server.mjs', 1)
  const figures: BenchFigure[] = []
  const print = (figure: BenchFigure): void => {
    figures.push(figure)
    const digits = figure.unit === '×' ? 2 : figure.unit.startsWith('%') ? 3 : figure.unit === 'MB' || figure.unit === 'KB/min' ? 1 : 0
    process.stdout.write(`${figure.met ? 'MET ' : 'MISS'}  ${figure.name}: ${figure.value.toFixed(digits)} ${figure.unit} (goal ${figure.goal})\n      ${figure.detail}\n`)
  }
  try {
    process.stdout.write(`cutover bench — node ${process.version}, generator ${canPin() ? 'pinned to core 0, service to core 1' : 'not pinned (no taskset)'}\n`)
    const seconds = quick ? 3 : 8
    print(await cpuPerRequest(server.url, 5000, seconds))
    print(await maxHeldRate(server.url, quick ? [5000, 10_000] : [6000, 8000, 10_000, 12_000, 15_000, 18_000, 21_000, 24_000, 27_000, 30_000], quick ? 3 : 5))
    print(await closedThroughput(server.url, 50, seconds))
    for (const intervalMs of [1000, 100]) {
      const cost = await measureSamplerCost({ intervalMs, targets: 2, durationMs: quick ? 3000 : intervalMs >= 1000 ? 30_000 : 10_000 })
      print({
        name: `sampler CPU, 2 targets every ${intervalMs} ms (${cost.kind})`,
        value: cost.samplerCpuPercent,
        unit: '% of a core',
        goal: intervalMs === 1000 ? '< 0.5' : 'reported',
        met: intervalMs === 1000 ? cost.samplerCpuPercent < 0.5 : true,
        detail: `sampling ${cost.samplingCpuPercent.toFixed(2)}%, same timer loop without sampling ${cost.timerOnlyCpuPercent.toFixed(2)}%, ${cost.samplesTaken} samples`
      })
    }
    // the long one last: 10 minutes at 2,000 req/s (1 minute with --quick)
    for (const figure of memoryFigures(await measureBoundedMemory(server.url, 2000, quick ? 60 : 600))) print(figure)
  } finally {
    server.stop()
  }
  for (const figure of await reportFigures()) print(figure)
  const missed = figures.filter((figure) => !figure.met).length
  process.stdout.write(`${figures.length - missed} of ${figures.length} goals met\n`)
}

main().then(() => process.exit(0), (error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`)
  process.exit(1)
})
