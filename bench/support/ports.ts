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
