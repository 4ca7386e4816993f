// `npm run bench:leaks`: accuracy of cutover's leak detector against three simple rules (issue 5).
// Synthetic corpus by default (seconds); `--real` adds soak runs of a real service driven by cutover (minutes).
// Numbers are printed, never asserted: the tests in test/leak-*.test.ts hold the guarantees.
import { performance } from 'node:perf_hooks'
import type { SyntheticKind } from '../test/support/leak/synthetic.js'
import { accuracies, delays, flaggedShare, leakKinds, nonLeakKinds, prefixAccuracy, prefixFlags, rateSweep, scoreCorpus, smallestRate, verdictCounts, type PrefixFlags, type Scored, type Sweep } from './leaks/corpus.js'
import { realRuns } from './leaks/real.js'
import { proportion } from './leaks/metrics.js'
import { detectLeak } from '../src/analysis/leak/detector.js'
import { ruleDescriptions, ruleNames, ruleTitles, type RuleName } from './leaks/rules.js'
import { heading, metText, pct, pctCi, rateLabel, table } from './leaks/table.js'

interface Settings {
  quick: boolean
  real: boolean
  onlyReal: boolean
  perClass: number
  perRate: number
  rates: number[]
  headlineRate: number
  checkpoints: number[]
  soakSec: number
  runs: number
  rate: number
}

const usage = `usage: tsx bench/leaks.ts [--quick] [--n SERIES] [--real [--only-real] [--soak 180s] [--runs 1] [--rate 50]]
  --quick      fewer series (a smoke run, ~10 s)
  --n N        series per class at the headline rate (default 500; per swept rate: half of it, at least 50)
  --real       also run real soaks of test/fixtures/memory-server.mjs driven by cutover (minutes)
  --only-real  skip the synthetic corpus
  --soak D     length of each real run, warm-up included (default 180s; e.g. 40s for a smoke check)
  --runs N     real runs per case (default 1; 4 cases)
  --rate R     offered load of the real runs, req/s (default 50)`

/** "180s", "3m", "90" → seconds. */
function parseSeconds (text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min)?$/.exec(text.trim())
  if (match === null) throw new Error(`not a duration: ${text}`)
  const value = Number(match[1])
  const unit = match[2] ?? 's'
  return unit === 'ms' ? value / 1000 : unit === 's' ? value : value * 60
}

function parseArgs (argv: readonly string[]): Settings {
  const has = (flag: string): boolean => argv.includes(flag)
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag)
    if (i < 0) return undefined
    const next = argv[i + 1]
    if (next === undefined || next.startsWith('--')) throw new Error(`${flag} needs a value`)
    return next
  }
  const known = new Set(['--quick', '--real', '--only-real', '--n', '--soak', '--runs', '--rate', '--help'])
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    if (!known.has(arg)) throw new Error(`unknown argument ${arg}`)
    if (['--n', '--soak', '--runs', '--rate'].includes(arg)) i++
  }
  const quick = has('--quick')
  const positiveInt = (text: string | undefined, fallback: number, name: string): number => {
    if (text === undefined) return fallback
    const n = Number(text)
    if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new Error(`${name} must be a whole number from 1 to 100000`)
    return n
  }
  const perClass = positiveInt(value('--n'), quick ? 20 : 500, '--n')
  const soakSec = Math.round(parseSeconds(value('--soak') ?? '180s'))
  if (soakSec < 20 || soakSec > 3600) throw new Error('--soak must be between 20s and 60m')
  const checkpoints: number[] = []
  for (let t = 30; t <= 180; t += 15) checkpoints.push(t)
  return {
    quick,
    real: has('--real') || has('--only-real'),
    onlyReal: has('--only-real'),
    perClass,
    perRate: quick ? Math.min(perClass, 20) : Math.max(50, Math.round(perClass / 2)),
    rates: [0.25, 0.5, 1, 2, 4, 8, 16],
    headlineRate: 2,
    checkpoints,
    soakSec,
    runs: positiveInt(value('--runs'), 1, '--runs'),
    rate: positiveInt(value('--rate'), 50, '--rate')
  }
}

const write = (text: string): void => { process.stdout.write(text) }
const kindsAll: SyntheticKind[] = [...leakKinds, ...nonLeakKinds]
const headerRules = ruleNames.map((rule) => ruleTitles[rule])

function verdictText (scored: readonly Scored[], kind: SyntheticKind): string {
  const v = verdictCounts(scored, kind)
  return `${v.leak}/${v.saturating}/${v.stable}/${v.inconclusive}`
}

function pooledTable (scored: readonly Scored[]): string {
  const acc = accuracies(scored)
  return table(['rule', 'TP', 'FN', 'FP', 'TN', 'precision (95% CI)', 'recall (95% CI)', 'F1'],
    ruleNames.map((rule) => {
      const { confusion: c, accuracy: a } = acc[rule]
      return [ruleTitles[rule], String(c.tp), String(c.fn), String(c.fp), String(c.tn), pctCi(a.precision, a.precisionCi), pctCi(a.recall, a.recallCi), a.f1.toFixed(3)]
    }))
}

function perKindTable (scored: readonly Scored[], kinds: readonly SyntheticKind[]): string {
  return table(['class', ...headerRules, 'cutover L/Sa/St/I'],
    kinds.map((kind) => [kind, ...ruleNames.map((rule) => { const s = flaggedShare(scored, kind, rule); return pctCi(s.value, s.ci) }), verdictText(scored, kind)]))
}

function delayTable (flags: PrefixFlags, checkpoints: readonly number[], mode: 'first' | 'settled'): string {
  const byKind = delays(flags, checkpoints, mode)
  const cell = (d: { detected: number, total: number, median: number, p90: number }): string =>
    d.detected === 0 ? `— (0/${d.total})` : `${d.median.toFixed(0)} / ${d.p90.toFixed(0)} s (${pct(d.detected / d.total, 0)})`
  return table(['leak kind', ...headerRules.map((t) => `${t} median / p90`)],
    [...byKind].map(([kind, row]) => [kind, ...ruleNames.map((rule) => cell(row[rule]))]))
}

function prefixTable (flags: PrefixFlags, checkpoints: readonly number[]): string {
  return table(['soak so far', ...headerRules.map((t) => `${t} recall / FP`), 'cutover worst FP class'],
    prefixAccuracy(flags, checkpoints).map((row) => [
      `${row.seconds} s`,
      ...ruleNames.map((rule) => `${pct(row.byRule[rule].recall, 0)} / ${pct(row.byRule[rule].falsePositiveRate, 0)}`),
      `${row.worst.kind} ${pct(row.worst.rate, 0)}`
    ]))
}

function sweepTables (sweep: Sweep, fpRates: Record<RuleName, number>): string {
  const rateRows = (rule: RuleName, kind: SyntheticKind | 'all'): string[] => sweep.rates.map((_, i) => {
    const r = sweep.recall[rule][i]?.get(kind)
    return r === undefined ? '—' : rule === 'detector' ? pctCi(r.value, r.ci) : pct(r.value)
  })
  const linear = table(['MB/min', ...headerRules],
    sweep.rates.map((rate, i) => [rateLabel(rate), ...ruleNames.map((rule) => rateRows(rule, 'linear')[i] ?? '—')]))
  const byKind = table(['MB/min', ...sweep.kinds, 'all'],
    sweep.rates.map((rate, i) => [rateLabel(rate), ...[...sweep.kinds, 'all' as const].map((kind) => pct(sweep.recall.detector[i]?.get(kind)?.value ?? NaN, 0))]))
  const smallest = table(['rule', ...sweep.kinds, 'all', 'FP (all negatives)'],
    ruleNames.map((rule) => [ruleTitles[rule], ...[...sweep.kinds, 'all' as const].map((kind) => {
      const r = smallestRate(sweep, rule, kind)
      return r === undefined ? `> ${rateLabel(sweep.rates[sweep.rates.length - 1] ?? NaN)}` : r === sweep.rates[0] ? `≤ ${rateLabel(r)}` : rateLabel(r)
    }), pct(fpRates[rule])]))
  return `Linear leak, recall by rate:\n${linear}\n\ncutover's recall by rate and leak kind:\n${byKind}\n\n` +
    `Smallest swept rate (MB/min) with ≥ 90% recall there and at every faster rate:\n${smallest}`
}

/** How well the per-request fit measures the per-request leaks it judged: interval coverage and estimate/truth. */
function perRequestAccuracy (scored: readonly Scored[]): string {
  const ratios: number[] = []
  let covered = 0
  for (const s of scored) {
    if (s.kind !== 'load-proportional') continue
    const growth = detectLeak(s.input).perRequest
    if (growth === undefined) continue
    // the corpus builds the leak as bytes per request = mean rate / mean load over the whole series
    const meanLoad = s.input.samples.reduce((sum, x) => sum + (x.load ?? 0), 0) / s.input.samples.length
    const truth = (s.rateMbMin * 1e6) / 60 / meanLoad
    if (truth >= growth.ci[0] && truth <= growth.ci[1]) covered++
    ratios.push(growth.bytesPerRequest / truth)
  }
  ratios.sort((a, b) => a - b)
  const q = (p: number): string => (ratios[Math.min(ratios.length - 1, Math.floor(p * ratios.length))] ?? NaN).toFixed(2)
  return `\nPer-request leaks judged against the requests served: ${ratios.length} of the load-proportional series; ` +
    `the true bytes per request inside the 95% interval ${pctCi(covered / Math.max(1, ratios.length), proportion(covered, ratios.length).ci)}; ` +
    `estimate / truth p10 ${q(0.1)}, median ${q(0.5)}, p90 ${q(0.9)}`
}

interface GoalPart { met: boolean, text: string }

function goalParts (headline: Scored[], sweep: Sweep, headlineRate: number): GoalPart[] {
  const acc = accuracies(headline)
  const d = acc.detector.accuracy
  const parts: GoalPart[] = []
  parts.push({ met: d.precision >= 0.95, text: `precision ≥ 0.95 at ${headlineRate} MB/min: ${pctCi(d.precision, d.precisionCi)}` })
  const shortKinds = leakKinds.map((kind) => ({ kind, share: flaggedShare(headline, kind, 'detector').value })).filter((k) => k.share < 0.95)
  parts.push({
    met: d.recall >= 0.95,
    text: `recall ≥ 0.95 at ${headlineRate} MB/min, all leak kinds pooled: ${pctCi(d.recall, d.recallCi)}` +
      (shortKinds.length === 0 ? '' : `; kinds below 95%: ${shortKinds.map((k) => `${k.kind} ${pct(k.share, 0)}`).join(', ')}`) +
      `; without load-proportional ${pct(accuracies(headline.filter((s) => s.kind !== 'load-proportional')).detector.accuracy.recall)}`
  })
  const faster = sweep.rates.map((rate, i) => ({ rate, r: sweep.recall.detector[i]?.get('all') })).filter((x) => x.rate >= headlineRate)
  const worst = faster.reduce<{ rate: number, value: number } | undefined>((w, x) => {
    const value = x.r?.value ?? NaN
    return w === undefined || value < w.value ? { rate: x.rate, value } : w
  }, undefined)
  parts.push({
    met: worst !== undefined && worst.value >= 0.95,
    text: `recall ≥ 0.95 at every swept rate ≥ ${headlineRate} MB/min (pooled over leak kinds): ` +
      faster.map((x) => `${rateLabel(x.rate)}: ${pct(x.r?.value ?? NaN)}`).join(', ')
  })
  const fps = nonLeakKinds.map((kind) => ({ kind, ...flaggedShare(headline, kind, 'detector') }))
  const worstFp = fps.reduce((w, x) => (x.value > w.value ? x : w))
  parts.push({
    met: fps.every((x) => x.value <= 0.02),
    text: `no non-leak class above 2% false positives: worst ${worstFp.kind} ${pctCi(worstFp.value, worstFp.ci)} (${worstFp.k}/${worstFp.n})`
  })
  for (const rule of ['ols', 'memwatch', 'coroot'] as const) {
    const b = acc[rule].accuracy
    parts.push({
      met: d.f1 > b.f1,
      text: `better than ${ruleTitles[rule]} on F1: ${d.f1.toFixed(3)} vs ${b.f1.toFixed(3)} (precision ${pct(d.precision)} vs ${pct(b.precision)}, recall ${pct(d.recall)} vs ${pct(b.recall)}, worst-class FP ${pct(worstFp.value)} vs ${pct(Math.max(...nonLeakKinds.map((k) => flaggedShare(headline, k, rule).value)))})`
    })
  }
  return parts
}

async function main (): Promise<void> {
  const argv = process.argv.slice(2)
  if (argv.includes('--help')) { write(`${usage}\n`); return }
  const settings = parseArgs(argv)
  const started = performance.now()
  const controller = new AbortController()
  process.once('SIGINT', () => { write('\ninterrupted: stopping after the current step\n'); controller.abort() })

  write(`cutover leak benchmark — node ${process.version}${settings.quick ? ', --quick' : ''}\n`)
  write(`rules: ${ruleNames.map((rule) => `${ruleTitles[rule]} = ${ruleDescriptions[rule]}`).join('; ')}\n`)

  if (!settings.onlyReal) {
    const { perClass, headlineRate: hr } = settings
    write(`synthetic corpus (test/support/leak/synthetic.ts): 3-minute soaks sampled every 1 s with a 10 s warm-up phase, heap and RSS reported,\n` +
      `${perClass} series per class at ${hr} MB/min (seeds 10000–${10000 + perClass - 1}; the tests use seeds below 100), ` +
      `${settings.perRate} per kind and rate in the sweep (seeds 20000–${20000 + settings.perRate - 1}).\n` +
      `Precision pools ${leakKinds.length} leak kinds against ${nonLeakKinds.length} non-leak kinds, ${perClass} series each. Intervals: 95% Wilson.\n`)

    let t = performance.now()
    const headline = scoreCorpus({ kinds: kindsAll, firstSeed: 10_000, count: perClass, rateMbMin: hr })
    write(heading(`1. Pooled accuracy at ${hr} MB/min (all leak kinds vs all non-leak kinds)`) + '\n')
    write(pooledTable(headline) + '\n')

    write(heading('2. False-positive rate per non-leak class', `share of series flagged as leaks (95% CI); last column: cutover's verdicts leak/saturating/stable/inconclusive`) + '\n')
    write(perKindTable(headline, nonLeakKinds) + '\n')

    write(heading(`3. Recall per leak kind at ${hr} MB/min`, 'share of series flagged as leaks (95% CI); last column as above') + '\n')
    write(perKindTable(headline, leakKinds) + '\n')
    write(perRequestAccuracy(headline) + '\n')
    const headlineSec = (performance.now() - t) / 1000

    t = performance.now()
    write(heading(`4. Detection delay at ${hr} MB/min`,
      `checked at ${settings.checkpoints.join(', ')} s (warm-up included): the first prefix of the soak from which the rule says leak\n` +
      'at every later checkpoint too, to the end (a flag that comes and goes is not a detection); median / p90 over the series\n' +
      'so detected (share detected in brackets):') + '\n')
    const flags = prefixFlags(headline, settings.checkpoints)
    write(delayTable(flags, settings.checkpoints, 'settled') + '\n\n')
    write('Accuracy by soak length: every rule on the same prefixes of all series (pooled recall / false-positive rate):\n')
    write(prefixTable(flags, settings.checkpoints) + '\n')
    const delaySec = (performance.now() - t) / 1000

    t = performance.now()
    const sweep = rateSweep(leakKinds, settings.rates, settings.perRate, 20_000)
    const fpRates = {} as Record<RuleName, number>
    const acc = accuracies(headline)
    for (const rule of ruleNames) fpRates[rule] = acc[rule].accuracy.falsePositiveRate
    write(heading('5. Leak-rate sweep', `${settings.perRate} series per kind and rate; recall (cutover with 95% CI). ` +
      'Growth below 256 KiB/min (0.26 MB/min) or 1% of the memory limit per hour is never a leak for cutover, by design.') + '\n')
    write(sweepTables(sweep, fpRates) + '\n')
    const sweepSec = (performance.now() - t) / 1000

    t = performance.now()
    const rssOnly = scoreCorpus({ kinds: kindsAll, firstSeed: 10_000, count: perClass, rateMbMin: hr, withHeap: false })
    write(heading(`6. RSS only (no heap figure, as the process-tree sampler gives) at ${hr} MB/min`, 'the same series as sections 1–3 without heapBytes') + '\n')
    write(pooledTable(rssOnly) + '\n\n')
    write(table(['class', 'cutover heap+RSS', 'cutover RSS only', ...headerRules.slice(1).map((h) => `${h} RSS only`)],
      kindsAll.map((kind) => {
        const withHeap = flaggedShare(headline, kind, 'detector')
        const without = flaggedShare(rssOnly, kind, 'detector')
        return [`${kind} (${leakKinds.includes(kind as typeof leakKinds[number]) ? 'leak' : 'not'})`, pct(withHeap.value), pct(without.value),
          ...ruleNames.slice(1).map((rule) => pct(flaggedShare(rssOnly, kind, rule).value))]
      })) + '\n')
    write('  (share flagged as leaks: recall for leak kinds, false-positive rate for the others)\n')
    const rssFast = scoreCorpus({ kinds: kindsAll, firstSeed: 10_000, count: perClass, rateMbMin: 2 * hr, withHeap: false })
    const rssFastAcc = accuracies(rssFast).detector
    write(`\nRSS only at ${rateLabel(2 * hr)} MB/min: recall ${pctCi(rssFastAcc.accuracy.recall, rssFastAcc.accuracy.recallCi)}, precision ${pctCi(rssFastAcc.accuracy.precision, rssFastAcc.accuracy.precisionCi)}; per leak kind: ` +
      leakKinds.map((kind) => `${kind} ${pct(flaggedShare(rssFast, kind, 'detector').value, 0)}`).join(', ') + '\n')
    const rssSec = (performance.now() - t) / 1000

    const parts = goalParts(headline, sweep, hr)
    parts.push({
      met: rssFastAcc.accuracy.recall >= 0.9,
      text: `RSS-only recall ≥ 0.90 at ${rateLabel(2 * hr)} MB/min: ${pctCi(rssFastAcc.accuracy.recall, rssFastAcc.accuracy.recallCi)}`
    })
    write(heading('GOAL: precision and recall ≥ 0.95 for leaks of 2 MB/min or more in a three-minute soak, no non-leak class above 2% false positives, better than each simple rule; RSS-only recall ≥ 0.90 at 4 MB/min') + '\n')
    for (const part of parts) write(`  ${metText(part.met)}  ${part.text}\n`)
    write(`  ${parts.filter((p) => p.met).length} of ${parts.length} parts met (point estimates; intervals shown for context).\n`)
    write(`\nsynthetic: ${headline.length + rssOnly.length + rssFast.length + settings.rates.length * leakKinds.length * settings.perRate} series scored; ` +
      `sections 1–3 ${headlineSec.toFixed(1)} s, delay ${delaySec.toFixed(1)} s, sweep ${sweepSec.toFixed(1)} s, RSS-only ${rssSec.toFixed(1)} s\n`)
  }

  if (settings.real && !controller.signal.aborted) {
    await realRuns({ soakSec: settings.soakSec, runs: settings.runs, rate: settings.rate, warmupSec: 10 }, controller.signal, write)
  }
  write(`\ntotal ${((performance.now() - started) / 1000).toFixed(0)} s\n`)
}

main().then(() => process.exit(0), (error: unknown) => {
  process.stderr.write(`bench:leaks failed: ${error instanceof Error ? error.message : String(error)}\n${usage}\n`)
  process.exit(1)
})
