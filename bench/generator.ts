import { measureAutocannon, measureCutover, type LoadMeasurement } from './support/measure.js'

/** One line of the benchmark report. */
export interface BenchFigure {
  name: string
  value: number
  unit: string
  goal: string
  met: boolean
  detail: string
}

/**
 * Open-model CPU per request against raw autocannon at the same rate, in steady state: each measured as the difference
 * between a run of `seconds` and a 2-second run, so a cutover run's start, analysis and reports (which it does once
 * whatever the length) and autocannon's start drop out.
 */
export async function cpuPerRequest (url: string, rate: number, seconds: number): Promise<BenchFigure> {
  const steady = (long: LoadMeasurement, short: LoadMeasurement): number =>
    (long.cpuMicrosPerRequest * long.requests - short.cpuMicrosPerRequest * short.requests) / (long.requests - short.requests)
  const autocannonFor = async (duration: number): Promise<LoadMeasurement> => await measureAutocannon(url, { connections: 50, durationSec: duration, overallRate: rate })
  const cutoverFor = async (duration: number): Promise<LoadMeasurement> => await measureCutover(url, `  - { name: steady, duration: ${duration}s, rate: ${rate} }`)
  const reference = steady(await autocannonFor(seconds), await autocannonFor(2))
  const long = await cutoverFor(seconds)
  const ours = steady(long, await cutoverFor(2))
  const ratio = ours / reference
  return {
    name: `open-model CPU per request vs autocannon -R ${rate}`,
    value: ratio,
    unit: '×',
    goal: '≤ 1.0',
    met: ratio <= 1.0,
    detail: `cutover ${ours.toFixed(1)} µs/req (${long.throughput.toFixed(0)} req/s), autocannon ${reference.toFixed(1)} µs/req, each the difference between a ${seconds} s and a 2 s run (a whole ${seconds} s cutover run, analysis and reports included: ${long.cpuMicrosPerRequest.toFixed(1)} µs/req)`
  }
}

/** The highest open-model rate whose steady phase achieves within 1% of its target with the generator on schedule. */
export async function maxHeldRate (url: string, rates: number[], seconds: number): Promise<BenchFigure> {
  let best = 0
  const tried: string[] = []
  for (const rate of rates) {
    const ours = await measureCutover(url, `  - { name: ramp, duration: 2s, rate: { from: ${Math.round(rate / 4)}, to: ${rate} } }\n  - { name: steady, duration: ${seconds}s, rate: ${rate} }`)
    const steady = ours.result?.targets.svc?.phases.find((p) => p.name === 'steady')
    const achieved = steady?.throughput ?? 0
    const behind = steady?.generator.behindRate ?? 1
    const failed = steady?.requests.failed ?? 1
    const held = achieved >= rate * 0.99 && behind <= 0.01 && failed === 0
    tried.push(`${rate}: ${achieved.toFixed(0)} req/s, ${(behind * 100).toFixed(2)}% late, p99 ${steady?.latencyMs.p99.toFixed(1)} ms${held ? '' : ' ✗'}`)
    if (!held) break
    best = rate
  }
  return { name: 'highest open-model rate held within 1% on one core', value: best, unit: 'req/s', goal: '≥ 10000', met: best >= 10_000, detail: tried.join('; ') }
}

/** Closed-model throughput through cutover against raw autocannon with the same connections. */
export async function closedThroughput (url: string, connections: number, seconds: number): Promise<BenchFigure> {
  const reference = await measureAutocannon(url, { connections, durationSec: seconds })
  const ours = await measureCutover(url, `  - { name: flood, duration: ${seconds}s, connections: ${connections} }`)
  const ratio = ours.throughput / reference.throughput
  return {
    name: `closed-model throughput vs autocannon -c ${connections}`,
    value: ratio,
    unit: '×',
    goal: '≥ 0.95',
    met: ratio >= 0.95,
    detail: `cutover ${ours.throughput.toFixed(0)} req/s, autocannon ${reference.throughput.toFixed(0)} req/s`
  }
}
