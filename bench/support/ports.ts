import { createServer } from 'node:net'

/** A free port on 127.0.0.1. */
export async function freePort (): Promise<number> {
  return await new Promise((resolve) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port
      server.close(() => { resolve(port) })
    })
  })
}

/** Waits until something answers HTTP on `port` (up to 10 s). */
export async function waitForPort (port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/`)
      return
    } catch { await new Promise((resolve) => setTimeout(resolve, 100)) }
  }
  throw new Error(`nothing answers on ${port}`)
}

/** Debian's nginx configuration for the benchmarks: one worker, no access log, long keep-alive, these `http` blocks. */
export function nginxConfig (dir: string, httpBlocks: string): string {
  return `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log;
events { worker_connections 8192; }
http {
  access_log off;
  keepalive_requests 1000000;
${httpBlocks}
}
`
}
