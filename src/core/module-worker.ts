/** Starts a worker thread from a module next to the caller: the built `.js`, or its `.ts` source through tsx (tests run the sources). */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'

/** A worker running `built` (a `.js` URL) with `workerData`; when only its `.ts` source exists, that one through tsx's loader. */
export function startModuleWorker (built: URL, workerData?: unknown): Worker {
  if (existsSync(fileURLToPath(built))) return new Worker(built, { workerData })
  const source = new URL(built.href.replace(/\.js$/, '.ts')).href
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}) })`, { eval: true, workerData })
}
