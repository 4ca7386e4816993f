/**
 * Real soak runs for the leak benchmark: test/fixtures/memory-server.mjs,
 * started and driven by cutover's own runScenario (one target per run,
 * sequential schedule, 127.0.0.1 only), leaking at set rates, holding a
 * bounded cache, or doing neither. Each run's harness verdict is read from
 * result.json; the three simple rules and the detection delay are computed
 * from the sampled memory in its timeline.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { LeakInput, MemorySample } from '../../src/analysis/leak/types.js'
import { freePort } from '../../src/targets/free-port.js'
import type { LeakSummary } from '../../src/core/result-types.js'
import { readTimeline } from '../../src/rundir/timeline-file.js'
import { silentProgress } from '../../src/run/progress.js'
import { runScenario } from '../../src/run/run-scenario.js'
import { parseScenario } from '../../src/scenario/load.js'
import { accuracyOf, confusionOf } from './metrics.js'
import { answer, firstFlagged, ruleNames, ruleTitles, type RuleName } from './rules.js'
import { heading, mbPerMin, pct, pctCi, table } from './table.js'

const fixture = fileURLToPath(new URL('../../test/fixtures/memory-server.mjs', import.meta.url))

/** Settings of the real runs. */
export interface RealOptions {
  /** Length of each run, warm-up included, seconds. */
  soakSec: number
  /** Runs per case. */
  runs: number
  /** Offered load, requests per second. */
  rate: number
  /** Length of the warm-up phase, seconds. */
  warmupSec: number
}

interface RealCase {
  name: string
  leak: boolean
  /** Nominal leak, MB/min (0 when none). */
  leakMbMin: number
  env: Record<string, string>
  description: string
}

/** The cases: leaks at 2 and 8 MB/min, a bounded cache that fills in the first third of the run, and nothing. */
export function realCases (options: RealOptions): RealCase[] {
  const leakCase = (mbMin: number): RealCase => {
    const bytes = Math.max(1, Math.round((mbMin * 1e6) / 60 / options.rate))
    return { name: `leak ${mbMin} MB/min`, leak: true, leakMbMin: mbMin, env: { LEAK_BYTES: String(bytes) }, description: `LEAK_BYTES=${bytes} × ${options.rate} req/s` }
  }
  // about 20 MB of cache, full a third of the way into the soak
  const entries = Math.max(10, Math.round((options.rate * options.soakSec) / 3))
  const entryBytes = Math.round(20e6 / entries)
  return [
    leakCase(2),
    leakCase(8),
    { name: 'bounded cache', leak: false, leakMbMin: 0, env: { CACHE_ENTRIES: String(entries), CACHE_ENTRY_BYTES: String(entryBytes) }, description: `CACHE_ENTRIES=${entries} × ${entryBytes} B (~20 MB)` },
    { name: 'no leak', leak: false, leakMbMin: 0, env: {}, description: 'plain service' }
  ]
}

interface RealRun {
  case: RealCase
  index: number
  leak?: LeakSummary | undefined
  samples: number
  requestsPerSec: number
  flags: Record<RuleName, boolean>
  firstLeakSec?: number | undefined
  /** The verdict recomputed from the timeline, when it differs from result.json's. */
  mismatch?: string | undefined
  error?: string | undefined
}

/** Memory samples of the target as the timeline recorded them (the series the harness analysed). */
function timelineSamples (runDir: string, target: string): MemorySample[] {
  const samples: MemorySample[] = []
  for (const line of readTimeline(runDir).lines) {
    if (line.target !== target || line.resources === undefined) continue
    samples.push({ tSec: line.t, rssBytes: line.resources.rssBytes, heapBytes: line.resources.heapBytes, phase: line.phase, load: line.throughput })
  }
  return samples
}

async function runOne (realCase: RealCase, index: number, options: RealOptions, dir: string, signal: AbortSignal): Promise<RealRun> {
  const port = await freePort()
  const env = Object.entries({ PORT: String(port), ...realCase.env }).map(([k, v]) => `${k}: "${v}"`).join(', ')
  const scenario = parseScenario(`
name: leak-bench
targets:
  svc: { url: "http://127.0.0.1:${port}", start: { command: ${JSON.stringify(`node "${fixture}"`)}, env: { ${env} } } }
requests: [{ name: hit, path: / }]
phases:
  - { name: warmup, duration: ${options.warmupSec}s, rate: ${options.rate} }
  - { name: soak, duration: ${options.soakSec - options.warmupSec}s, rate: ${options.rate} }
sampling: { interval: 1s }
`, join(dir, `run-${index}.yaml`))
  // bounded: a run that overstays its plan by two minutes is aborted
  const guard = new AbortController()
  const abort = (): void => guard.abort()
  signal.addEventListener('abort', abort, { once: true })
  const timer = setTimeout(abort, (options.soakSec + 120) * 1000)
  const empty = { detector: false, ols: false, memwatch: false, coroot: false }
  try {
    const { result, runDir } = await runScenario(scenario, { out: join(dir, `run-${index}`), schedule: 'sequential', seed: index + 1, progress: silentProgress, signal: guard.signal, env: {} })
    const target = result.targets.svc
    const failure = result.failures.map((f) => f.message).join('; ')
    const samples = timelineSamples(runDir, 'svc')
    const input: LeakInput = { samples, memoryLimitBytes: target?.resources?.memoryLimitBytes }
    const answers = answer(input)
    const checkpoints: number[] = []
    for (let t = 30; t < options.soakSec; t += 15) checkpoints.push(t)
    checkpoints.push(Infinity)
    const first = firstFlagged('detector', input, checkpoints)
    const leak = target?.leak
    const mismatch = leak !== undefined && leak.verdict !== answers.verdict ? `timeline gives '${answers.verdict}'` : undefined
    const seconds = Math.max(1, options.soakSec)
    return {
      case: realCase,
      index,
      leak,
      samples: samples.length,
      requestsPerSec: (target?.requests.ok ?? 0) / seconds,
      // the harness's own verdict counts for the detector
      flags: { ...answers.flags, detector: leak?.verdict === 'leak' },
      firstLeakSec: first === Infinity ? options.soakSec : first,
      mismatch,
      error: failure === '' ? (guard.signal.aborted ? 'aborted' : undefined) : failure
    }
  } catch (error) {
    return { case: realCase, index, samples: 0, requestsPerSec: 0, flags: empty, error: error instanceof Error ? error.message : String(error) }
  } finally {
    clearTimeout(timer)
    signal.removeEventListener('abort', abort)
  }
}

/** Runs every case `runs` times (cases interleaved), printing each run as it ends, then the confusion counts. */
export async function realRuns (options: RealOptions, signal: AbortSignal, write: (text: string) => void): Promise<void> {
  const cases = realCases(options)
  const total = cases.length * options.runs
  write(heading('Real soak runs (--real)',
    `test/fixtures/memory-server.mjs on 127.0.0.1, started and driven by runScenario (one target per run, schedule sequential),\n` +
    `${options.soakSec} s per run (${options.warmupSec} s warm-up + ${options.soakSec - options.warmupSec} s soak) at ${options.rate} req/s, sampled every 1 s; ` +
    `${options.runs} run(s) per case, ${total} runs, about ${Math.ceil((total * (options.soakSec + 3)) / 60)} min.\n` +
    cases.map((c) => `  ${c.name.padEnd(14)} ${c.description}`).join('\n')) + '\n')
  const dir = mkdtempSync(join(tmpdir(), 'cutover-leak-bench-'))
  const runs: RealRun[] = []
  try {
    let index = 0
    for (let r = 0; r < options.runs && !signal.aborted; r++) {
      for (const realCase of cases) {
        if (signal.aborted) break
        const started = Date.now()
        const run = await runOne(realCase, index++, options, dir, signal)
        runs.push(run)
        const l = run.leak
        const verdict = l === undefined ? '—' : l.verdict
        const slope = l === undefined ? '' : ` slope ${mbPerMin(l.slopeBytesPerSec)} [${mbPerMin(l.slopeCi[0])}, ${mbPerMin(l.slopeCi[1])}]`
        const correct = (run.flags.detector === realCase.leak) ? 'right' : 'WRONG'
        write(`  run ${index}/${total} ${realCase.name.padEnd(14)} ${verdict.padEnd(12)} ${correct}${slope}, ${run.samples} samples, ` +
          `${run.requestsPerSec.toFixed(0)} req/s answered, ${((Date.now() - started) / 1000).toFixed(0)} s` +
          `${run.mismatch === undefined ? '' : ` (${run.mismatch})`}${run.error === undefined ? '' : ` — ${run.error}`}\n`)
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  write('\n' + table(
    ['run', 'case', 'cutover verdict', 'slope (95% CI)', 'first leak at', 'OLS>0', 'memwatch', 'Coroot'],
    runs.map((run, i) => {
      const l = run.leak
      return [
        String(i + 1),
        run.case.name,
        l?.verdict ?? `— ${run.error ?? ''}`.trim(),
        l === undefined ? '—' : `${mbPerMin(l.slopeBytesPerSec)} [${((l.slopeCi[0] * 60) / 1e6).toFixed(2)}, ${((l.slopeCi[1] * 60) / 1e6).toFixed(2)}]`,
        run.flags.detector && run.firstLeakSec !== undefined ? `${run.firstLeakSec} s` : '—',
        run.flags.ols ? 'leak' : '-',
        run.flags.memwatch ? 'leak' : '-',
        run.flags.coroot ? 'leak' : '-'
      ]
    })) + '\n')
  write('  (first leak at: the shortest prefix, checked every 15 s from 30 s, at which the detector says leak on the timeline\'s samples)\n\n')
  write(table(
    ['rule', 'TP', 'FN', 'FP', 'TN', 'precision (95% CI)', 'recall (95% CI)'],
    ruleNames.map((rule) => {
      const c = confusionOf(runs.filter((run) => run.leak !== undefined).map((run) => ({ leak: run.case.leak, flagged: run.flags[rule] })))
      const a = accuracyOf(c)
      return [ruleTitles[rule], String(c.tp), String(c.fn), String(c.fp), String(c.tn), pctCi(a.precision, a.precisionCi), pctCi(a.recall, a.recallCi)]
    })) + '\n')
  const failed = runs.filter((run) => run.leak === undefined).length
  if (failed > 0) write(`  ${failed} run(s) gave no verdict and are left out of the counts.\n`)
  const detectorRight = runs.filter((run) => run.leak !== undefined && run.flags.detector === run.case.leak).length
  write(`  cutover right on ${detectorRight} of ${runs.length - failed} real runs (${pct(detectorRight / Math.max(1, runs.length - failed), 0)}).\n`)
}
