/** The real half of `npm run bench:compare`: cutover runs two local services, A/A and with new 20% slower, demo layout. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { silentProgress } from '../../src/run/progress.js'
import { runScenario } from '../../src/run/run-scenario.js'
import { parseScenario } from '../../src/scenario/load.js'
import { freePort } from '../../src/targets/free-port.js'

const server = fileURLToPath(new URL('../../test/fixtures/cpu-server.mjs', import.meta.url))

function scenarioText (oldPort: number, newPort: number, oldWorkMs: number, newWorkMs: number): string {
  const target = (port: number, workMs: number): string => `{ url: "http://127.0.0.1:${port}", start: { command: "node ${server}", env: { PORT: "${port}", WORK_MS: "${workMs}" } } }`
  return `
name: compare-bench
targets:
  old: ${target(oldPort, oldWorkMs)}
  new: ${target(newPort, newWorkMs)}
requests: [{ name: work, path: / }]
phases:
  - { name: warmup, duration: 8s, rate: { from: 50, to: 200 } }
  - { name: steady, duration: 24s, rate: 200 }
  - { name: flood, duration: 6s, connections: 8 }
sampling: { interval: 500ms }
checks: { compare: { p50: +10%, p99: +25% } }
`
}

/** Runs `count` A/A and `count` regressed (new does 20% more work per request) real comparisons and prints their verdicts. */
export async function realComparisons (count: number, write: (text: string) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-compare-bench-'))
  try {
    write(`real runs: two local services doing 2 ms of CPU per request (new 2 ms, or 2.4 ms), the demo's layout at 200 req/s, ${count} each:`)
    for (const [label, newWorkMs] of [['A/A', 2], ['new +20% work', 2.4]] as const) {
      for (let i = 0; i < count; i++) {
        const scenario = parseScenario(scenarioText(await freePort(), await freePort(), 2, newWorkMs), join(dir, 'compare.yaml'))
        const started = Date.now()
        const { result } = await runScenario(scenario, { out: join(dir, `${label.replace(/\W+/g, '-')}-${i}`), seed: i + 1, progress: silentProgress, signal: new AbortController().signal, env: {} })
        const change = (ratio: number | null, scale: string | undefined): string => ratio === null ? '–' : scale === 'difference' ? String(ratio) : `${((ratio - 1) * 100).toFixed(1)}%`
        const verdicts = (result.comparison?.metrics ?? []).map((metric) => `${metric.name} ${metric.verdict} (${change(metric.ratio, metric.scale)})`).join(', ')
        write(`  ${label} #${i + 1} (${Math.round((Date.now() - started) / 1000)} s): ${verdicts}`)
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
