/**
 * Keeping services and the load generator on separate cores (`start.cpus`): a CPU-bound service that shares its core
 * with the generator is measured together with it (bench:capacity: Express 4 → 5 read 1.14 unpinned, 0.81 with the
 * service on a core of its own, as wrk on another core reads it). Linux's `taskset` (util-linux) sets the affinity;
 * children inherit it.
 */
import { execFileSync } from 'node:child_process'
import { cpus } from 'node:os'
import { formatCpuList, parseCpuList } from '../core/cpu-list.js'
import { thrownMessage } from '../core/thrown-message.js'

/** The cores of this machine, numbered as taskset numbers them. */
export function machineCores (): number[] {
  return cpus().map((_, index) => index)
}

/** Why `list` cannot be used on this machine, or undefined when every core it names exists. */
export function cpuListProblem (list: string, cores: readonly number[] = machineCores()): string | undefined {
  let asked: number[]
  try {
    asked = parseCpuList(list)
  } catch (error) {
    return thrownMessage(error)
  }
  const missing = asked.filter((core) => !cores.includes(core))
  if (missing.length === 0) return undefined
  return `this machine has no core ${missing.join(', ')} (its cores are ${formatCpuList(cores)})`
}

/** The program and arguments that run a shell `command` on `list`'s cores (taskset execs the shell, so the pid stays the service's). */
export function pinnedShell (list: string, command: string): [string, string[]] {
  return ['taskset', ['-c', list, '/bin/sh', '-c', command]]
}

/** The cores left for the generator when services take `taken`; empty when they take every core. */
export function coresLeft (taken: readonly number[], cores: readonly number[] = machineCores()): number[] {
  return cores.filter((core) => !taken.includes(core))
}

/** Moves every thread of this process onto `cores` (threads started later inherit it). Throws when taskset cannot. */
export function pinThisProcess (cores: readonly number[]): void {
  execFileSync('taskset', ['-a', '-cp', formatCpuList(cores), String(process.pid)], { stdio: 'ignore', timeout: 5000 })
}
