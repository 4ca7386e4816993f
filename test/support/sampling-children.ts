import { spawn, type ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'

/** A fixture script running in its own process group, with the JSON lines it printed. */
export interface SamplingChild {
  pid: number
  child: ChildProcess
  /** Every JSON line printed so far, oldest first. */
  reports: Array<Record<string, number | boolean>>
  /** Resolves with the first report for which `accept` is true. */
  waitFor: (accept: (report: Record<string, number | boolean>) => boolean, timeoutMs?: number) => Promise<Record<string, number | boolean>>
  /** SIGKILL to the whole process group, then waits for the process to be reaped. */
  kill: () => Promise<void>
}

const running = new Set<SamplingChild>()

/** Starts `test/fixtures/sampling/<script>` with `args` in a new process group and waits for its first report. */
export async function startSamplingChild (script: string, args: string[] = []): Promise<SamplingChild> {
  const path = fileURLToPath(new URL(`../fixtures/sampling/${script}`, import.meta.url))
  // detached: the child leads its own process group, so the whole tree can be killed at once
  const child = spawn(process.execPath, [path, ...args], { stdio: ['ignore', 'pipe', 'inherit'], detached: true })
  const reports: SamplingChild['reports'] = []
  const waiters = new Set<() => void>()
  let buffered = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString()
    let newline: number
    while ((newline = buffered.indexOf('\n')) >= 0) {
      reports.push(JSON.parse(buffered.slice(0, newline)) as Record<string, number | boolean>)
      buffered = buffered.slice(newline + 1)
    }
    for (const wake of waiters) wake()
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const handle: SamplingChild = {
    pid: child.pid ?? -1,
    child,
    reports,
    waitFor: (accept, timeoutMs = 10_000) => new Promise((resolve, reject) => {
      const check = (): void => {
        const found = reports.find(accept)
        if (found === undefined) return
        cleanup()
        resolve(found)
      }
      const timer = setTimeout(() => { cleanup(); reject(new Error(`${script} sent no matching report in ${timeoutMs} ms`)) }, timeoutMs)
      const onExit = (): void => { cleanup(); reject(new Error(`${script} exited before a matching report`)) }
      const cleanup = (): void => { clearTimeout(timer); waiters.delete(check); child.off('exit', onExit) }
      waiters.add(check)
      child.once('exit', onExit)
      check()
    }),
    kill: async () => {
      running.delete(handle)
      try {
        process.kill(-handle.pid, 'SIGKILL')
      } catch { /* already gone */ }
      if (child.exitCode === null && child.signalCode === null) await exited
    }
  }
  running.add(handle)
  await handle.waitFor(() => true)
  return handle
}

/** Kills every child started by `startSamplingChild` that is still running; for afterEach. */
export async function killSamplingChildren (): Promise<void> {
  await Promise.all([...running].map((child) => child.kill()))
}

/** Live (not zombie) processes whose process group is `pgid`, read from `/proc`. */
export function liveProcessesInGroup (pgid: number): number[] {
  const members: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    let text: string
    try {
      text = readFileSync(`/proc/${name}/stat`, 'latin1')
    } catch {
      continue
    }
    // after the command name: state, ppid, pgrp
    const [state, , pgrp] = text.slice(text.lastIndexOf(')') + 2).split(' ')
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') members.push(Number(name))
  }
  return members
}

/** Waits until `condition` holds, polling every 50 ms; false after `timeoutMs`. */
export async function eventually (condition: () => boolean, timeoutMs = 3000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (condition()) return true
    await sleep(50)
  }
  return condition()
}
