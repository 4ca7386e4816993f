import { spawn } from 'node:child_process'
import type { Server } from 'node:http'
import { fileURLToPath } from 'node:url'

/** The built CLI, run as a user would run it. */
export const cliPath = fileURLToPath(new URL('../../bin/cutover.js', import.meta.url))

/** What a CLI run printed and returned. */
export interface CliRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Spawns `cutover args...`; `onStart` may signal the child. */
export function runCli (args: string[], options: { cwd?: string, env?: Record<string, string>, onStart?: (child: ReturnType<typeof spawn>) => void, timeoutMs?: number } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: options.cwd,
      env: { ...process.env, CI: 'true', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`cutover ${args.join(' ')} did not finish in time`)) }, options.timeoutMs ?? 60_000)
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
    options.onStart?.(child)
  })
}

/**
 * An `onStart` for runCli that sends `signal` to cutover once `server` has received `requests` requests: tests that
 * interrupt or kill a run react to the load that reached the service, never to a clock racing cutover's start.
 */
export function signalAfterRequests (server: Server, requests: number, signal: NodeJS.Signals): (child: ReturnType<typeof spawn>) => void {
  return (child) => {
    let seen = 0
    const count = (): void => {
      if (++seen < requests) return
      server.off('request', count)
      child.kill(signal)
    }
    server.on('request', count)
  }
}
