/** Helpers of the proxy tests: a raw HTTP call, and a proxy run around a piece of test code. */
import { writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { join } from 'node:path'
import type { RunResult } from '../../src/core/result-types.js'
import { silentProgress } from '../../src/run/progress.js'
import { runProxy } from '../../src/run/run-proxy.js'
import { loadScenario } from '../../src/scenario/load.js'
import type { ShadowReport } from '../../src/shadow/report-types.js'
import type { TestServer } from './servers.js'

let runs = 0

/** A raw HTTP call, so the test sees exactly the bytes and headers the proxy sent back. */
export function call (url: string, options: { method?: string, headers?: Record<string, string>, body?: string } = {}): Promise<{ status: number, headers: Record<string, string | string[] | undefined>, body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }) })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

/** Starts the proxy for `old` and `new` with a `proxy:` block; `use` gets its URL; the proxy stops when `use` returns. */
export async function withProxy (dir: string, old: TestServer, candidate: TestServer, proxyBlock: string, use: (url: string) => Promise<void>, extra: { controlToken?: string, shadow?: string } = {}): Promise<{ result: RunResult, report: ShadowReport, runDir: string }> {
  const file = join(dir, `proxy-${runs}.yaml`)
  const out = join(dir, `run-${runs++}`)
  writeFileSync(file, [
    'name: proxied',
    `targets: { old: { url: "${old.url}" }, new: { url: "${candidate.url}" } }`,
    'requests: [{ name: unused, path: / }]',
    'phases: [{ name: unused, duration: 1s, rate: 1 }]',
    `proxy: { listen: "127.0.0.1:0", ${proxyBlock} }`,
    extra.shadow ?? '',
    ''
  ].join('\n'))
  const stop = new AbortController()
  let listening: (url: string) => void = () => {}
  const address = new Promise<string>((resolve) => { listening = resolve })
  const running = runProxy(loadScenario(file, { env: {} }), { out, seed: 7, progress: silentProgress, signal: stop.signal, env: {}, controlToken: extra.controlToken, onListening: listening })
  try {
    await use(await Promise.race([address, running.then(() => { throw new Error('the proxy stopped before it listened') })]))
  } finally {
    stop.abort()
  }
  const { result, report, runDir } = await running
  return { result, report, runDir }
}

