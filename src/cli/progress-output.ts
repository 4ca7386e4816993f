import type { IntervalSnapshot } from '../metrics/recorder.js'
import type { ProgressSink } from '../run/progress.js'
import { formatMs } from '../core/units.js'

function seconds (ms: number): string {
  return `${Math.round(ms / 1000)}s`
}

function describeInterval (target: string, phase: string, snapshot: IntervalSnapshot, elapsedMs: number, totalMs: number): string {
  const intervalSeconds = Math.max((snapshot.endMs - snapshot.startMs) / 1000, 1e-3)
  const rate = (snapshot.counts.total - snapshot.generator.dropped) / intervalSeconds
  const behind = snapshot.generator.dropped + snapshot.generator.late
  return `[${target}] ${phase} ${seconds(elapsedMs)}/${seconds(totalMs)} (${seconds(Math.max(totalMs - elapsedMs, 0))} left)  ` +
    `${rate.toFixed(0)} req/s  p99 ${formatMs(snapshot.latencyMs.p99)}  errors ${snapshot.counts.failed}` +
    (behind > 0 ? `  generator behind ${behind}` : '')
}

/** A live line rewritten in place, for terminals. */
export function terminalProgress (stream: NodeJS.WriteStream): ProgressSink {
  let phase = ''
  let shown = false
  const clear = (): void => {
    if (shown) stream.write('\r\x1b[2K')
    shown = false
  }
  return {
    targetStarted: (target, totalMs) => { clear(); stream.write(`running ${target}${totalMs > 0 ? ` for ${seconds(totalMs)}` : ''}\n`) },
    phaseStarted: (_target, name) => { phase = name },
    interval: (target, snapshot, elapsedMs, totalMs) => {
      const line = describeInterval(target, phase, snapshot, elapsedMs, totalMs)
      stream.write(`\r\x1b[2K${line.slice(0, Math.max((stream.columns ?? 120) - 1, 40))}`)
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
  return {
    targetStarted: (target, totalMs) => { lastMs = -Infinity; stream.write(`running ${target}${totalMs > 0 ? ` for ${seconds(totalMs)}` : ''}\n`) },
    phaseStarted: (target, name, description) => { phase = name; stream.write(`[${target}] phase ${name}: ${description}\n`) },
    interval: (target, snapshot, elapsedMs, totalMs) => {
      if (elapsedMs - lastMs < everyMs) return
      lastMs = elapsedMs
      stream.write(describeInterval(target, phase, snapshot, elapsedMs, totalMs) + '\n')
    },
    message: (text) => { stream.write(`${text}\n`) },
    finished: () => {}
  }
}
