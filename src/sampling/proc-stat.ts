import { readKernelFile } from './kernel-file.js'

/** The fields of `/proc/PID/stat` the samplers use. CPU times are in clock ticks. */
export interface ProcStat {
  pid: number
  /** Process state: R, S, D, Z (zombie), X (dead), … */
  state: string
  ppid: number
  utimeTicks: number
  stimeTicks: number
  /** CPU of children this process has waited for (`cutime`). */
  cutimeTicks: number
  cstimeTicks: number
  /** Start time in ticks since boot; tells a reused pid from the same process. */
  startTicks: number
  /** Resident pages (`rss`, the same count as the second field of `statm`). */
  rssPages: number
}

/**
 * Parses one `/proc/PID/stat` line; undefined when it is not one.
 * The command name sits in parentheses and may itself contain spaces and `)`, so fields are read after the last `)`.
 */
export function parseProcStat (text: string): ProcStat | undefined {
  const open = text.indexOf('(')
  const close = text.lastIndexOf(')')
  if (open < 0 || close < open) return undefined
  const pid = Number(text.slice(0, open).trim())
  // fields[0] is field 3 (state) of proc(5); field N is fields[N - 3]
  const fields = text.slice(close + 1).trim().split(/\s+/)
  const field = (n: number): number => Number(fields[n - 3])
  const stat: ProcStat = {
    pid,
    state: fields[0] ?? '',
    ppid: field(4),
    utimeTicks: field(14),
    stimeTicks: field(15),
    cutimeTicks: field(16),
    cstimeTicks: field(17),
    startTicks: field(22),
    rssPages: field(24)
  }
  for (const value of Object.values(stat)) {
    if (typeof value === 'number' && !Number.isFinite(value)) return undefined
  }
  return stat
}

/** Reads and parses `/proc/PID/stat`; undefined when the process is gone (or the file unreadable). */
export function readProcStat (pid: number): ProcStat | undefined {
  const text = readKernelFile(`/proc/${pid}/stat`)
  return text === undefined ? undefined : parseProcStat(text)
}
