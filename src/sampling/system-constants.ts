import { execFile } from 'node:child_process'

/** Kernel constants needed to turn `/proc` figures into bytes and seconds. */
export interface ProcConstants {
  /** Bytes per memory page (`getconf PAGESIZE`). */
  pageSizeBytes: number
  /** Clock ticks per second of the CPU times in `/proc/PID/stat` (`getconf CLK_TCK`). */
  clockTicksPerSec: number
}

let cached: Promise<ProcConstants> | undefined

/** Page size and clock ticks, asked of `getconf` once per process; 4096 and 100 when it cannot say. */
export function procConstants (): Promise<ProcConstants> {
  cached ??= Promise.all([getconf('PAGESIZE', 4096), getconf('CLK_TCK', 100)])
    .then(([pageSizeBytes, clockTicksPerSec]) => ({ pageSizeBytes, clockTicksPerSec }))
  return cached
}

function getconf (name: string, fallback: number): Promise<number> {
  return new Promise((resolve) => {
    execFile('getconf', [name], { timeout: 5000 }, (error, stdout) => {
      const value = Number(String(stdout).trim())
      resolve(error === null && Number.isInteger(value) && value > 0 ? value : fallback)
    })
  })
}
