/**
 * The leak verdict of one target, drawn from the lower envelope of the heap
 * (RSS when the heap is not reported) after warm-up, restarts, load ramps and
 * cooldown are cut away, within blocks of steady load:
 *
 * - leak: Mann–Kendall (Hamed–Rao) one-sided p < 0.01 upward, AND the Theil–Sen 95%
 *   lower bound above the smallest growth that matters, AND still p < 0.05
 *   without each block's first tenth (not memory still settling), AND no
 *   levelling off (plateau F < 8), AND, when there is a cooldown phase,
 *   memory did not fall back there;
 * - saturating: the same growth, levelling off;
 * - stable: no such growth with an interval tight enough to say so, or growth
 *   that followed the load and fell back in cooldown;
 * - inconclusive: too little data, or an interval too wide to tell.
 *
 * With the heap reported, memory outside it (RSS less the heap's committed
 * size when known, else less the used heap) gets the same tests, so a native
 * leak is not missed.
 */
import type { GrowthUnderLoad, LeakInput, LeakResult } from './types.js'
import { analyseCooldown } from './cooldown.js'
import { lowerEnvelope } from './envelope.js'
import { levelledRise } from './levelled-rise.js'
import { formatBytes, formatDuration, formatLimit, formatPerThousand, formatPValue, formatRate, formatRateInterval } from './format.js'
import { leakCheck } from './leak-check.js'
import { plateauCriticalF } from './plateau.js'
import { hasHeap, prepareSeries, type PreparedSeries, type SeriesKind } from './prepare.js'
import { loadAdjustedTrend } from './load-adjusted.js'
import { analyseTrend, type TrendAnalysis } from './trend.js'

/** Mann–Kendall significance a leak needs, two-sided: upward growth at one-sided p < 0.01. */
export const leakPValue = 0.02
/** Significance the per-request fit needs, two-sided (its Newey–West interval is only approximately right in short series). */
export const perRequestPValue = 0.01
/** The same test without each block's first tenth must still reach this significance (memory still settling after warm-up fails it). */
export const settledPValue = 0.05
/** Growth slower than 256 KiB/min is never called a leak. */
export const growthFloorBytesPerSec = (256 * 1024) / 60
/** Nor is growth below 1% of the memory limit per hour. */
export const limitSharePerHour = 0.01
/** Samples must cover this share of the analysed span. */
export const minCoverage = 0.8
/** "Stable" needs the slope's upper bound below this multiple of the smallest growth that matters (1 MiB/min by default). */
export const stableCeilingFactor = 4

/**
 * The least a leak must have grown over the analysed time (slope × span): in a short run a significant rate can add up
 * to less than the heap's own wobble. A 3-minute soak at 2 MB/min grows about 5 MB.
 */
export const minLeakGrowthBytes = 1e6

/** Memory outside the heap must grow this many times faster than the heap to be called a native leak. */
export const nativeOverHeapFactor = 2

/** The smallest growth rate worth calling a leak for a process with this memory limit. */
export function minMeaningfulGrowth (memoryLimitBytes?: number): number {
  const fromLimit = memoryLimitBytes !== undefined && memoryLimitBytes > 0 ? (limitSharePerHour * memoryLimitBytes) / 3600 : 0
  return Math.max(growthFloorBytesPerSec, fromLimit)
}

/** Leak verdict, slope with interval, p-value and time to the memory limit for one target. */
export function detectLeak (input: LeakInput): LeakResult {
  const minGrowth = minMeaningfulGrowth(input.memoryLimitBytes)
  const heapPresent = hasHeap(input.samples)
  let result = analyseSeries(input, heapPresent ? 'heap' : 'rss', minGrowth)
  // Memory outside the heap counts when it grows much faster than the heap: a growing heap drags some memory outside it
  // along (allocator pages, and its committed pages when only the used size is known), but not twice as fast.
  // (Buffers leak both: a small object on the heap, the bytes outside.)
  if (heapPresent && result.verdict !== 'saturating') {
    const native = analyseSeries(input, 'non-heap', minGrowth)
    const heapSlope = Number.isFinite(result.slopeBytesPerSec) ? Math.max(0, result.slopeBytesPerSec) : 0
    if (result.verdict === 'stable' && native.verdict === 'saturating') {
      // a flat heap beside memory outside it that rose and levelled off (a cache of Buffers filling up)
      result = { ...native, reason: `${native.reason} The JS heap stays flat.` }
    } else if (native.verdict === 'leak' && native.slopeBytesPerSec > nativeOverHeapFactor * heapSlope) {
      const heapToo = result.verdict === 'leak' ? ` The JS heap grows too, ${formatRate(heapSlope)}.` : ''
      result = { ...native, reason: `${heapToo === '' ? native.reason : native.reason.replace(heapFlatNote, ' (Buffers, native modules)')}${heapToo}` }
    }
  }
  // an unsettled verdict on RSS says what witness it had, and what a better one or a longer soak would give
  if (!heapPresent && result.verdict === 'inconclusive') result = { ...result, reason: `${result.reason} ${rssWitnessNote}` }
  if (input.maxGrowthBytesPerSec !== undefined) result.check = leakCheck(result, input.maxGrowthBytesPerSec)
  return result
}

/**
 * bench:leaks: RSS alone needs about twice the growth the heap needs for the same recall (90% at 4 MB/min against
 * 2 MB/min); a trend's interval narrows as duration^1.5, so the same confidence takes 2^(2/3) ≈ 1.6 times the soak.
 */
export const rssWitnessNote = 'This was judged on RSS (no heap figure for this target), a noisier witness: it needs about twice the growth ' +
  'the heap needs for the same confidence (npm run bench:leaks), or a soak about 1.6 times as long. The heap probe ' +
  '(on for node services cutover starts) or a monitor.prometheus endpoint with nodejs_heap_size_used_bytes gives the heap.'

/** What a leak of memory outside the heap says about the heap when the heap is flat. */
const heapFlatNote = ' while the JS heap does not (Buffers, native modules)'

const seriesNames: Record<SeriesKind, string> = { heap: 'Heap', rss: 'RSS', 'non-heap': 'Memory outside the JS heap (RSS − heap)' }

function analyseSeries (input: LeakInput, kind: SeriesKind, minGrowth: number): LeakResult {
  const prepared = prepareSeries(input, kind)
  const result = judgeSeries(input, prepared, kind, minGrowth)
  if (result.underLoad !== undefined || !Number.isFinite(result.slopeBytesPerSec)) return result
  const underLoad = growthUnderLoad(prepared, result.slopeBytesPerSec)
  return underLoad === undefined ? result : { ...result, underLoad }
}

function judgeSeries (input: LeakInput, prepared: PreparedSeries, kind: SeriesKind, minGrowth: number): LeakResult {
  const base = emptyResult(kind, minGrowth, prepared)
  if (prepared.coverage < minCoverage) {
    return { ...base, reason: `Only ${(prepared.coverage * 100).toFixed(0)}% of the expected memory samples arrived; the sampler must keep up (80% at least) before a leak can be judged.` }
  }
  const trend = analyseTrend(prepared.blocks)
  if (trend === undefined) {
    const spanSec = spanOf(prepared)
    const needSec = Math.max(180, prepared.runSpanSec + Math.max(60, 2 * spanSec))
    return { ...base, reason: `Only ${formatDuration(spanSec)} of memory samples under steady load after warm-up${restartNote(prepared)}; a soak of at least ${formatSoak(needSec)} would settle it.` }
  }
  const sen = trend.theilSen
  const committed = kind === 'non-heap' && input.samples.some((s) => s.heapCommittedBytes !== undefined)
  const name = committed ? 'Memory outside the JS heap (RSS − committed heap)' : seriesNames[kind]
  const lower = kind === 'heap' ? 'heap floor' : kind === 'rss' ? 'RSS floor' : 'memory outside the JS heap'
  const result: LeakResult = {
    ...base,
    verdict: 'stable',
    slopeBytesPerSec: sen.slope,
    slopeCi: [sen.lowSlope, sen.highSlope],
    pValue: trend.pValue,
    tailToOverallRatio: trend.tailToOverallRatio,
    fit: fitLine(trend),
    details: {
      ...base.details,
      windowSamples: trend.windowSamples,
      windows: trend.windows,
      varianceFactor: trend.varianceFactor,
      blocks: trend.envelopes.length,
      plateauF: trend.plateau.f,
      bendSec: trend.plateau.bendSec
    }
  }
  const stats = `${formatRate(sen.slope)} (95% CI ${formatRateInterval(sen.lowSlope, sen.highSlope)}, ${formatPValue(trend.pValue)})`
  // and an amount that matters: a young process's heap creeping 180 KB in a 24-second soak is a rate, not a leak
  const grewEnough = sen.slope * spanOf(prepared) >= minLeakGrowthBytes
  const growing = trend.z > 0 && trend.pValue < leakPValue && sen.lowSlope > minGrowth && trend.lateZ > 0 && trend.latePValue < settledPValue && grewEnough
  const loadChanged = kind === 'heap' && (prepared.skippedPhases.length > 0 || prepared.cooldown.length > 0)
  if (growing && trend.plateau.f >= plateauCriticalF) {
    // under a changing load, a per-request leak slows when the load falls: the fit against requests served decides
    const perRequest = loadChanged ? perRequestVerdict(prepared, minGrowth, name) : undefined
    if (perRequest?.verdict === 'leak') return perRequestLeak({ ...result, ...perRequest }, prepared, input.memoryLimitBytes)
    return { ...result, verdict: 'saturating', reason: `${name} grew ${stats} but levelled off about ${formatDuration(trend.plateau.bendSec)} into the run, as a cache or warm-up filling up does: not a leak.` }
  }
  if (growing) {
    const mainEnvelope = lowerEnvelope(prepared.main, trend.windowSamples)
    const cooldown = prepared.cooldown.length > 0 ? analyseCooldown(mainEnvelope, prepared.cooldown, trend.windowSamples, trend.noiseBytes, minGrowth, { untilSec: prepared.baseLoadUntilSec, main: prepared.main }) : undefined
    const judged = cooldown === undefined ? result : { ...result, details: { ...result.details, cooldownRetainedBytes: cooldown.retainedBytes, cooldownRiseBytes: cooldown.riseBytes } }
    // the cooldown's before/after floors are few and noisy; with the load known, the fit over every sample decides
    const perRequest = cooldown?.returned === true && loadChanged ? perRequestVerdict(prepared, minGrowth, name) : undefined
    if (perRequest?.verdict === 'leak') return perRequestLeak({ ...judged, ...perRequest }, prepared, input.memoryLimitBytes)
    if (cooldown?.returned === true) {
      const back = cooldown.retainedBytes <= 0 ? 'to its starting level' : `to within ${formatBytes(cooldown.retainedBytes)} of its starting level`
      return { ...judged, reason: `${name} rose ${formatBytes(cooldown.riseBytes)} with the load and fell back ${back} in cooldown: it follows the load, it does not leak.` }
    }
    const { underLoad, timeToLimitSec, limitNote } = projection(prepared, sen.slope, input.memoryLimitBytes)
    const keptNote = cooldown === undefined ? '' : `, and kept ${formatBytes(cooldown.retainedBytes)} after the load fell`
    const nativeNote = kind === 'non-heap' ? heapFlatNote : ''
    return { ...judged, verdict: 'leak', timeToLimitSec, underLoad, reason: `${name} grows ${stats} under steady load through to the end of the run${loadNote(underLoad)}${nativeNote}${keptNote}${limitNote}.` }
  }
  const ceiling = stableCeilingFactor * minGrowth
  // a rise that came early and stopped (a cache filled, a pool sized itself) is said as such: the overall slope hides it
  // (too small to matter) or blurs it (an interval too wide to call stable)
  const levelled = levelledRise(trend.envelopes, trend.noiseBytes)
  const saturating: LeakResult | undefined = levelled === undefined
    ? undefined
    : { ...result, verdict: 'saturating', reason: `${name} rose ${formatBytes(levelled.riseBytes)} after warm-up and has been flat since about ${formatDuration(levelled.flatFromSec)} into the run (overall the ${lower} changes ${stats}), as a cache or warm-up filling up does: not a leak.` }
  const perRequest = loadChanged ? perRequestVerdict(prepared, minGrowth, name) : undefined
  if (perRequest?.verdict === 'leak') return perRequestLeak({ ...result, ...perRequest }, prepared, input.memoryLimitBytes)
  if (saturating !== undefined) return saturating
  if (perRequest !== undefined && perRequest.slopeCi[1] <= ceiling && !(sen.lowSlope > 0 && trend.pValue < leakPValue)) return { ...result, ...perRequest }
  if (sen.highSlope <= ceiling) {
    // a significant trend too small to matter is still stable: say both, so the p-value does not read as a contradiction
    const small = trend.pValue < leakPValue && sen.slope > 0 ? ' that matters (the trend is real, but small)' : ''
    // the bound is the ceiling (stableCeilingFactor × the growth that matters): a slope between the two is said as such
    const bound = sen.highSlope <= minGrowth ? `below the ${formatRate(minGrowth)} that would matter` : `its upper bound below the ${formatRate(ceiling)} a leak must be able to reach (${stableCeilingFactor}× the ${formatRate(minGrowth)} that matters)`
    return { ...result, reason: `No lasting growth${small}: the ${lower} changes ${stats}, ${bound}.` }
  }
  const needSec = soakToResolve(prepared, sen.highSlope - sen.slope, ceiling - Math.max(0, sen.slope))
  return {
    ...result,
    verdict: 'inconclusive',
    reason: `No clear trend, but the ${lower} changes ${stats}, so growth up to ${formatRate(sen.highSlope)} cannot be ruled out; a soak of about ${formatSoak(needSec)} would settle it.`
  }
}

/**
 * Under a load that changed (ramps left out, or a cooldown), growth is also judged against the requests served with
 * the load as a covariate ({@link loadAdjustedTrend}). Returns the fields of a `leak` (significant, and growth that
 * matters) or of a `stable` verdict (anything else; the caller decides whether its interval is tight enough), or
 * undefined without a fit. Heap only: RSS follows the load up quickly and down slowly (the allocator keeps pages),
 * which no single lag fits.
 */
function perRequestVerdict (prepared: PreparedSeries, minGrowth: number, name: string): Pick<LeakResult, 'verdict' | 'slopeBytesPerSec' | 'slopeCi' | 'pValue' | 'reason' | 'perRequest'> | undefined {
  const fit = prepared.loaded === undefined ? undefined : loadAdjustedTrend(prepared.loaded)
  if (fit === undefined) return undefined
  const slope = fit.bytesPerRequest * fit.meanLoad
  const ci: [number, number] = [fit.bytesPerRequestCi[0] * fit.meanLoad, fit.bytesPerRequestCi[1] * fit.meanLoad]
  // as on the steady path: still growing without the first tenth of the floors (memory settling after warm-up is not a leak)
  const leak = fit.pValue < perRequestPValue && ci[0] > minGrowth && fit.lateBytesPerRequest > 0 && fit.latePValue < settledPValue
  const follows = fit.loadTerm ? `, after taking out the memory the load holds while it lasts (it follows the load within ~${fit.lagSec} s)` : ''
  const stats = `${formatPerThousand(fit.bytesPerRequest)} per 1,000 requests (95% CI ${formatPerThousand(fit.bytesPerRequestCi[0])} to ${formatPerThousand(fit.bytesPerRequestCi[1])}, ${formatPValue(fit.pValue)})${follows}`
  return {
    verdict: leak ? 'leak' : 'stable',
    slopeBytesPerSec: slope,
    slopeCi: ci,
    pValue: fit.pValue,
    perRequest: { bytesPerRequest: fit.bytesPerRequest, ci: fit.bytesPerRequestCi, meanLoad: fit.meanLoad },
    reason: leak
      ? `${name} keeps ${stats}: ${formatRate(slope)} at the run's mean load of ${fit.meanLoad.toFixed(0)} req/s. It grows with the requests served, not with the clock.`
      : `No lasting growth: judged against the requests served, the ${name.toLowerCase()} floor changes ${stats}, at most ${formatRate(ci[1])} at the run's mean load of ${fit.meanLoad.toFixed(0)} req/s: too little to matter.`
  }
}

function emptyResult (kind: SeriesKind, minGrowth: number, prepared: PreparedSeries): LeakResult {
  const fromSec = prepared.main[0]?.tSec ?? NaN
  const toSec = prepared.main[prepared.main.length - 1]?.tSec ?? NaN
  return {
    verdict: 'inconclusive',
    slopeBytesPerSec: NaN,
    slopeCi: [NaN, NaN],
    pValue: NaN,
    signal: kind === 'heap' ? 'heap' : 'rss',
    tailToOverallRatio: NaN,
    reason: '',
    fit: { t0Sec: fromSec, t1Sec: toSec, interceptBytes: NaN },
    minGrowthBytesPerSec: minGrowth,
    details: {
      windowSamples: 0,
      windows: 0,
      varianceFactor: 1,
      warmupTrimmedSec: prepared.warmupTrimmedSec,
      restarts: prepared.restarts,
      coverage: prepared.coverage,
      fromSec,
      toSec,
      blocks: 0,
      skippedPhases: prepared.skippedPhases,
      plateauF: NaN,
      bendSec: NaN
    }
  }
}

/** The Theil–Sen line through the longest block, anchored at its first envelope point. */
function fitLine (trend: TrendAnalysis): LeakResult['fit'] {
  const t0Sec = trend.longest[0]?.tSec ?? NaN
  const t1Sec = trend.longest[trend.longest.length - 1]?.tSec ?? NaN
  return { t0Sec, t1Sec, interceptBytes: trend.theilSen.intercept + trend.theilSen.slope * t0Sec }
}

/** A leak found per request, with its growth under load and the time to the limit at that growth. */
function perRequestLeak (result: LeakResult, prepared: PreparedSeries, memoryLimitBytes: number | undefined): LeakResult {
  const { underLoad, timeToLimitSec, limitNote } = projection(prepared, result.slopeBytesPerSec, memoryLimitBytes)
  return { ...result, underLoad, timeToLimitSec, reason: limitNote === '' ? result.reason : `${result.reason.replace(/\.$/, '')}${limitNote}.` }
}

/** A leak's growth under load, and the time to the memory limit projected from it (from the wall-clock slope without load figures). */
function projection (prepared: PreparedSeries, slopeBytesPerSec: number, memoryLimitBytes: number | undefined): { underLoad: GrowthUnderLoad | undefined, timeToLimitSec: number | undefined, limitNote: string } {
  const underLoad = growthUnderLoad(prepared, slopeBytesPerSec)
  const timeToLimitSec = projectTimeToLimit(prepared, underLoad?.slopeBytesPerSec ?? slopeBytesPerSec, memoryLimitBytes)
  return { underLoad, timeToLimitSec, limitNote: limitText(timeToLimitSec, memoryLimitBytes, underLoad) }
}

/** Load of a sample that counts as "under load" (an idle slice of the interleaved schedule records 0). */
const loadedThreshold = 0

/**
 * The wall-clock slope restated: over the share of the analysed span under load (each target of an interleaved run is
 * idle half the time, so its wall-clock slope is about half of what continuous load grows), and over the mean load
 * (bytes per 1,000 requests). Undefined when the load of the analysed samples is not known or was zero throughout.
 */
function growthUnderLoad (prepared: PreparedSeries, slopeBytesPerSec: number): GrowthUnderLoad | undefined {
  const fromSec = prepared.main[0]?.tSec ?? NaN
  const toSec = prepared.main[prepared.main.length - 1]?.tSec ?? NaN
  const span = (prepared.loaded ?? []).filter((p) => p.tSec >= fromSec && p.tSec <= toSec)
  if (prepared.loaded === undefined || span.length === 0 || !Number.isFinite(slopeBytesPerSec)) return undefined
  const loaded = span.filter((p) => p.load > loadedThreshold)
  if (loaded.length === 0) return undefined
  const share = loaded.length / span.length
  const meanLoad = span.reduce((sum, p) => sum + p.load, 0) / span.length
  return {
    share,
    slopeBytesPerSec: slopeBytesPerSec / share,
    bytesPerThousandRequests: (slopeBytesPerSec / meanLoad) * 1000,
    loadWhileLoaded: loaded.reduce((sum, p) => sum + p.load, 0) / loaded.length
  }
}

/** "; 35 KB per 1,000 requests", with the growth under load when the target was idle part of the time. */
function loadNote (underLoad: GrowthUnderLoad | undefined): string {
  if (underLoad === undefined) return ''
  const perThousand = `${formatBytes(underLoad.bytesPerThousandRequests)} per 1,000 requests`
  if (underLoad.share >= 0.95) return ` (${perThousand})`
  return ` of wall clock; under load (${(underLoad.share * 100).toFixed(0)}% of the time) it grows ${formatRate(underLoad.slopeBytesPerSec)}, ${perThousand}`
}

/** "; under continuous load at 200 req/s, RSS reaches the 512 MiB limit in 2.5 h", or '' without a projection. */
function limitText (timeToLimitSec: number | undefined, memoryLimitBytes: number | undefined, underLoad: GrowthUnderLoad | undefined): string {
  if (timeToLimitSec === undefined) return ''
  const at = underLoad === undefined ? 'at this rate' : `under continuous load at ${underLoad.loadWhileLoaded.toFixed(0)} req/s,`
  return `; ${at} RSS reaches the ${formatLimit(memoryLimitBytes ?? 0)} limit in ${formatDuration(timeToLimitSec)}`
}

/** Seconds until RSS, from its recent floor, reaches the limit at this slope. */
function projectTimeToLimit (prepared: PreparedSeries, slopeBytesPerSec: number, memoryLimitBytes?: number): number | undefined {
  if (memoryLimitBytes === undefined || !(slopeBytesPerSec > 0)) return undefined
  const recent = prepared.rss.slice(-Math.max(5, Math.ceil(prepared.rss.length / 10))).map((p) => p.value)
  if (recent.length === 0) return undefined
  return Math.max(0, (memoryLimitBytes - Math.min(...recent)) / slopeBytesPerSec)
}

/**
 * A trend's interval half-width shrinks as duration^-1.5 (Sxx grows as n³), so
 * the analysed span must grow by (halfWidth/wanted)^(2/3); the soak grows by
 * the same number of seconds, since warm-up and the rest stay as they were.
 */
function soakToResolve (prepared: PreparedSeries, halfWidth: number, wanted: number): number {
  const spanSec = spanOf(prepared)
  const growth = !(wanted > 0) || !(halfWidth > 0) ? 2 : Math.max(1.25, (halfWidth / wanted) ** (2 / 3))
  return prepared.runSpanSec + spanSec * (growth - 1)
}

/** A soak length rounded up to whole minutes. */
function formatSoak (seconds: number): string {
  return formatDuration(Math.ceil(seconds / 60) * 60)
}

function spanOf (prepared: PreparedSeries): number {
  const first = prepared.main[0]
  const last = prepared.main[prepared.main.length - 1]
  return first === undefined || last === undefined ? 0 : last.tSec - first.tSec
}

function restartNote (prepared: PreparedSeries): string {
  return prepared.restarts === 0 ? '' : ` in the longest stretch between ${prepared.restarts} restart${prepared.restarts > 1 ? 's' : ''}`
}
