// `npm run bench:memory [-- --minutes N]`: only the bounded-memory benchmark (10 minutes at 2,000 req/s by default).
import { measureBoundedMemory, memoryFigures } from './memory-bound.js'
import { pinSelf, startPinnedServer } from './support/pinning.js'

async function main (): Promise<void> {
  const at = process.argv.indexOf('--minutes')
  const minutes = at >= 0 ? Number(process.argv[at + 1]) : 10
  pinSelf(0)
  const server = await startPinnedServer('hello-server.mjs', 1)
  try {
    const measured = await measureBoundedMemory(server.url, 2000, Math.round(minutes * 60))
    for (const figure of memoryFigures(measured)) {
      process.stdout.write(`${figure.met ? 'MET ' : 'MISS'}  ${figure.name}: ${figure.value.toFixed(1)} ${figure.unit} (goal ${figure.goal})\n      ${figure.detail}\n`)
    }
  } finally {
    server.stop()
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`)
  process.exit(1)
})
