// `npm run fuzz`: the full fuzz run of the scenario loader. At least 10,000 generated and mutated scenarios with a fixed
// seed, then large inputs built to expose quadratic work. Every input must load, or be refused with a CutoverError whose issues
// are located, within a deadline, reading only the files and variables the scenario names. Exit 1 on anything else,
// with the shrunk counterexample and the seed and path to replay it.
//
//   tsx bench/fuzz-scenarios.ts [--seed N] [--runs N] [--path P] [--deadline-ms N] [--small] [--near-limit]
//
// `--small` uses the fast slice's hazard sizes (test/scenario-fuzz.test.ts), to replay a failure of that test.
// The large inputs are 2 MB (linear work takes seconds, quadratic work hours); `--near-limit` makes them 4.9 MB.
import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import {
  createFuzzFixtures, describeFailure, fastSliceLimits, fullRunLimits, FuzzTally, largeHostileDocuments, ScenarioFuzzRunner, scenarioProperty
} from '../test/support/scenario-arbitraries.js'

function option (name: string): string | undefined {
  const index = process.argv.indexOf(name)
  return index === -1 ? undefined : process.argv[index + 1]
}

function numberOption (name: string, fallback: number): number {
  const text = option(name)
  if (text === undefined) return fallback
  const value = Number(text)
  if (!Number.isSafeInteger(value)) throw new Error(`${name} expects an integer, got ${text}`)
  return value
}

async function main (): Promise<number> {
  const seed = numberOption('--seed', 20_240_808)
  const runs = numberOption('--runs', 10_000)
  const deadlineMs = numberOption('--deadline-ms', 2000)
  const path = option('--path')
  const small = process.argv.includes('--small')
  const limits = small ? fastSliceLimits : fullRunLimits
  const replay = `npx tsx bench/fuzz-scenarios.ts${small ? ' --small' : ''} --runs ${runs}`
  const fixtures = createFuzzFixtures()
  const runner = await ScenarioFuzzRunner.start(deadlineMs)
  const started = performance.now()
  try {
    process.stdout.write(`scenario fuzz: seed ${seed}, ${runs} runs, deadline ${deadlineMs} ms of CPU time a case (+15 s per MB), repeats up to ${limits.maxRepeat}, nesting up to ${limits.maxDepth}\n`)
    const tally = new FuzzTally()
    const property = scenarioProperty(runner, fixtures, limits, tally, (input, reason) => {
      // shrinking can take a while when each attempt hangs until the deadline: say what was found first
      const saved = join(tmpdir(), `cutover-fuzz-first-failure-${seed}.txt`)
      writeFileSync(saved, input.text)
      process.stdout.write(`first failure (now shrinking it): ${reason.split('\n')[0] ?? ''}\n  its input (${input.text.length} characters) is in ${saved}\n`)
    })
    let done = 0
    property.afterEach(() => {
      done++
      if (done % 1000 === 0) process.stdout.write(`  ${done} cases, ${((performance.now() - started) / 1000).toFixed(1)} s\n`)
    })
    // a passing run takes about a minute; the limit only stops endless shrinking of a case that hangs every time
    const details = await fc.check(property, { seed, numRuns: runs, interruptAfterTimeLimit: 15 * 60_000, markInterruptAsFailure: true, ...(path === undefined ? {} : { path }) })
    if (details.failed) {
      process.stdout.write(`FAIL\n${describeFailure(details, fixtures, replay)}\n`)
      return 1
    }
    const refused = [...tally.refused.entries()].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code} ${n}`).join(', ')
    process.stdout.write(`generated ${details.numRuns}: ${tally.loaded} valid and loaded, ${tally.refusedTotal} refused with a located CutoverError (${refused}), 0 other outcomes\n`)
    for (const [note, n] of tally.notes) process.stdout.write(`  note: ${n} × ${note}\n`)
    process.stdout.write(`  slowest case ${tally.slowest.ms.toFixed(0)} ms (${tally.slowest.text.length} characters)\n`)

    const budget = process.argv.includes('--near-limit') ? 4_900_000 : 2_000_000
    const largeDeadlineMs = 20_000
    process.stdout.write(`large inputs (about ${(budget / 1e6).toFixed(1)} MB each, ${largeDeadlineMs / 1000} s deadline of CPU time):\n`)
    let failed = 0
    for (const { label, text } of largeHostileDocuments(budget)) {
      const verdict = await runner.check({ text, file: fixtures.scenarioFile, mustLoad: false, stackShare: 0 }, largeDeadlineMs)
      const outcome = verdict.outcome === 'refused' ? `refused (${verdict.code})` : verdict.outcome === 'loaded' ? 'loaded' : `FAIL: ${verdict.reason}`
      process.stdout.write(`  ${label}, ${(text.length / 1e6).toFixed(1)} MB: ${outcome} in ${verdict.ms.toFixed(0)} ms\n`)
      if (verdict.outcome === 'failure') failed++
    }
    process.stdout.write(`done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`)
    return failed === 0 ? 0 : 1
  } finally {
    await runner.close()
    fixtures.remove()
  }
}

main().then((code) => { process.exitCode = code }, (error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`)
  process.exitCode = 1
})
