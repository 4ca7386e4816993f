/**
 * Worker threads started from a module next to the caller (the built `.js`, or its `.ts` source through tsx when
 * tests run the sources), and numbered requests to them: one promise per request, rejected when the thread stops.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parentPort, Worker } from 'node:worker_threads'
import { thrownMessage } from './thrown-message.js'

/** A worker running `built` (a `.js` URL); when only its `.ts` source exists, that one through tsx's loader. */
export function startModuleWorker (built: URL): Worker {
  if (existsSync(fileURLToPath(built))) return new Worker(built)
  const source = new URL(built.href.replace(/\.js$/, '.ts')).href
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}) })`, { eval: true })
}

/** What goes to a worker: a message that needs no answer, or a numbered request. */
export type ToWorker<Told, Request> = { type: 'tell', message: Told } | { type: 'ask', id: number, request: Request }

/** A worker's answer to request `id`, or why it has none. */
export type FromWorker<Answer> = { id: number, answer: Answer } | { id: number, error: string }

/** Requests to a module worker, answered in any order; it never holds the process open. */
export class WorkerRequests<Told, Request, Answer> {
  private readonly worker: Worker
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (answer: Answer) => void, reject: (error: Error) => void }>()
  private stopped = false

  /** Starts the worker `built`; `what` names it in errors ("the live judging thread"). */
  constructor (built: URL, private readonly what: string) {
    this.worker = startModuleWorker(built)
    this.worker.unref()
    this.worker.on('message', (reply: FromWorker<Answer>) => {
      const waiting = this.pending.get(reply.id)
      this.pending.delete(reply.id)
      if ('error' in reply) waiting?.reject(new Error(reply.error))
      else waiting?.resolve(reply.answer)
    })
    this.worker.on('error', (error) => { this.failAll(error) })
    this.worker.on('exit', (code) => { this.failAll(new Error(`${what} exited with code ${code}`)) })
  }

  private failAll (error: Error): void {
    this.stopped = true
    for (const waiting of this.pending.values()) waiting.reject(error)
    this.pending.clear()
  }

  /** Sends a message that needs no answer; dropped once the thread has stopped. */
  tell (message: Told): void {
    if (!this.stopped) this.worker.postMessage({ type: 'tell', message } satisfies ToWorker<Told, Request>)
  }

  /** The worker's answer to `request`. */
  async ask (request: Request): Promise<Answer> {
    if (this.stopped) throw new Error(`${this.what} has stopped`)
    const id = this.nextId++
    return await new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.worker.postMessage({ type: 'ask', id, request } satisfies ToWorker<Told, Request>)
    })
  }

  /** Stops the thread; an answer still owed is rejected. */
  async close (): Promise<void> {
    if (this.stopped) return
    this.failAll(new Error(`${this.what} was stopped`))
    await this.worker.terminate()
  }
}

/** The worker's side: `told` takes each message that needs no answer, `answer` each request (its error's message goes back instead). */
export function answerRequests<Told, Request, Answer> (answer: (request: Request) => Answer | Promise<Answer>, told: (message: Told) => void = () => {}): void {
  const port = parentPort
  if (port === null) throw new Error('answerRequests runs in a worker thread')
  port.on('message', (message: ToWorker<Told, Request>) => {
    if (message.type === 'tell') {
      told(message.message)
      return
    }
    void (async () => {
      let reply: FromWorker<Answer>
      try {
        reply = { id: message.id, answer: await answer(message.request) }
      } catch (error) {
        reply = { id: message.id, error: thrownMessage(error) }
      }
      port.postMessage(reply)
    })()
  })
}
