import type { IntervalSnapshot } from '../metrics/recorder.js'
import type { ProgressSink } from '../run/progress.js'
import { formatMs } from '../core/units.js'

function seconds (ms: number): string {
  return `${Math.round(ms / 1000)}s`
}

/** Said once, the first time the generator falls behind: what the number means. */
export const generatorBehindExplained = 'generator behind N: N arrivals of the interval left more than 10 ms after their planned time or were dropped ' +
  '(maxInFlight requests were outstanding): the service or this machine could not keep up; latency still counts from the planned time'

function describeInterval (target: string, phase: string, snapshot: IntervalSnapshot, elapsedMs: number, totalMs: number, columns = 120): string {
  const intervalSeconds = Math.max((snapshot.endMs - snapshot.startMs) / 1000, 1e-3)
  const rate = (snapshot.counts.total - snapshot.generator.dropped) / intervalSeconds
  const behind = snapshot.generator.dropped + snapshot.generator.late
  // past the plan (draining, added rounds) the clock stops at the total rather than show 11s/10s
  const clock = totalMs > 0 && elapsedMs > totalMs
    ? `${seconds(totalMs)}/${seconds(totalMs)} (finishing)`
    : `${seconds(elapsedMs)}/${seconds(totalMs)} (${seconds(Math.max(totalMs - elapsedMs, 0))} left)`
  const figures = `${rate.toFixed(0)} req/s  p99 ${formatMs(snapshot.latencyMs.p99)}  errors ${snapshot.counts.failed}` + (behind > 0 ? `  generator behind ${behind}` : '')
  // a narrow terminal keeps the figures and drops the clock
  return columns < 80 ? `[${target}] ${figures}` : `[${target}] ${phase} ${clock}  ${figures}`
}

/** True the first time an interval shows the generator behind (then the explanation is printed once). */
function firstTimeBehind (state: { explained: boolean }, snapshot: IntervalSnapshot): boolean {
  if (state.explained || snapshot.generator.dropped + snapshot.generator.late === 0) return false
  state.explained = true
  return true
}

/** A live line rewritten in place, for terminals. */
export function terminalProgress (stream: NodeJS.WriteStream): ProgressSink {
  let phase = ''
  let shown = false
  const behind = { explained: false }
  const clear = (): void => {
    if (shown) stream.write('\r\x1b[2K')
    shown = false
  }
  return {
    targetStarted: (target, totalMs) => { clear(); stream.write(`running ${target}${totalMs > 0 ? ` for ${seconds(totalMs)}` : ''}\n`) },
    phaseStarted: (_target, name) => { phase = name },
    interval: (target, snapshot, elapsedMs, totalMs) => {
      const columns = stream.columns ?? 120
      if (firstTimeBehind(behind, snapshot)) {
        clear()
        stream.write(`${generatorBehindExplained}\n`)
      }
      const line = describeInterval(target, phase, snapshot, elapsedMs, totalMs, columns)
      stream.write(`\r\x1b[2K${line.slice(0, Math.max(columns - 1, 20))}`)
      shown = true
    },
    message: (text) => { clear(); stream.write(`${text}\n`) },
    finished: clear
  }
}

/** Plain lines every few seconds, for CI logs and pipes. */
export function plainProgress (stream: NodeJS.WritableStream, everyMs = 5000): ProgressSink {
  let phase = ''
  let lastMs = -Infinity
  const behind = { explained: false }
  return {
    targetStarted: (target, totalMs) => { lastMs = -Infinity; stream.write(`running ${target}${totalMs > 0 ? ` for ${seconds(totalMs)}` : ''}\n`) },
    phaseStarted: (target, name, description) => { phase = name; stream.write(`[${target}] phase ${name}: ${description}\n`) },
    interval: (target, snapshot, elapsedMs, totalMs) => {
      if (firstTimeBehind(behind, snapshot)) stream.write(`${generatorBehindExplained}\n`)
      if (elapsedMs - lastMs < everyMs) return
      lastMs = elapsedMs
      stream.write(describeInterval(target, phase, snapshot, elapsedMs, totalMs) + '\n')
    },
    message: (text) => { stream.write(`${text}\n`) },
    finished: () => {}
  }
}
