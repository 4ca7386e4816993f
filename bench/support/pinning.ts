import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** True when `taskset` can pin processes to cores (Linux, util-linux). */
export function canPin (): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** Pins this process to `core` so the generator and the service do not share one. */
export function pinSelf (core: number): void {
  if (canPin()) execFileSync('taskset', ['-a', '-cp', String(core), String(process.pid)], { stdio: 'ignore' })
}

/** The command that runs `node args…` pinned to `core` when taskset is available, else plain node. */
export function pinnedNode (core: number, args: string[]): [string, string[]] {
  return canPin() ? ['taskset', ['-c', String(core), process.execPath, ...args]] : [process.execPath, args]
}

/** A benchmark fixture service in its own process (given `scriptArgs`), pinned to `core` when possible. */
export async function startPinnedServer (script: string, core: number, scriptArgs: string[] = []): Promise<{ url: string, child: ChildProcess, stop: () => void }> {
  const path = fileURLToPath(new URL(`../fixtures/${script}`, import.meta.url))
  const [command, args] = pinnedNode(core, [path, ...scriptArgs])
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] })
  const port = await new Promise<number>((resolve, reject) => {
    let output = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /listening (\d+)/.exec(output)
      if (match !== null) resolve(Number(match[1]))
    })
    child.once('exit', () => reject(new Error(`${script} exited early`)))
  })
  return { url: `http://127.0.0.1:${port}`, child, stop: () => { child.kill('SIGTERM') } }
}
