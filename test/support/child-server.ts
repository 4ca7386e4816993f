import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** A fixture server running in its own process (so it can stall without stalling the test). */
export interface ChildServer {
  url: string
  port: number
  child: ChildProcess
  stop: () => Promise<void>
}

/** Starts `test/fixtures/<script>` with `env`; it must print `listening <port>`. */
export async function startChildServer (script: string, env: Record<string, string> = {}): Promise<ChildServer> {
  const path = fileURLToPath(new URL(`../fixtures/${script}`, import.meta.url))
  const child = spawn(process.execPath, [path], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
  const port = await new Promise<number>((resolve, reject) => {
    let output = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /listening (\d+)/.exec(output)
      if (match !== null) resolve(Number(match[1]))
    })
    child.once('exit', (code) => reject(new Error(`${script} exited with ${String(code)} before listening`)))
  })
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill('SIGKILL')
    })
  }
}
