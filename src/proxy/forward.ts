/**
 * One caller's request forwarded with undici's low-level `dispatch` (the promise-based `request` and a stream
 * pipeline cost this proxy about half its throughput): answer headers written as they arrive, body chunks written
 * as they come with the caller's backpressure passed upstream, the caller's disconnect aborting the upstream request.
 */
import type { ServerResponse } from 'node:http'
import type { Dispatcher } from 'undici'
import { rawHeaderRecord } from '../shadow/send.js'
import { callerResponseHeaders } from './hop-headers.js'

/** What came back: the status and headers (undefined when no answer came), or the error. */
export interface Forwarded {
  status: number
  headers: Record<string, string | string[]>
  error: unknown
}

/** Forwards `options` on `dispatcher` and streams the answer into `res`; `copy` sees every body chunk. */
export function forward (dispatcher: Dispatcher, options: Dispatcher.DispatchOptions, res: ServerResponse, copy: ((chunk: Buffer) => void) | undefined): Promise<Forwarded> {
  return new Promise((resolve) => {
    let status = 0
    let headers: Record<string, string | string[]> = {}
    let abort: ((reason?: Error) => void) | undefined
    let done = false
    const finish = (error: unknown): void => {
      if (done) return
      done = true
      res.off('close', callerGone)
      resolve({ status, headers, error })
    }
    const callerGone = (): void => {
      if (!res.writableFinished) abort?.(new Error('the caller went away'))
    }
    res.once('close', callerGone)
    const handler = {
      onConnect (abortRequest: (reason?: Error) => void): void { abort = abortRequest },
      onHeaders (statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
        status = statusCode
        headers = rawHeaderRecord(rawHeaders)
        res.writeHead(statusCode, callerResponseHeaders(headers))
        res.on('drain', resume)
        return true
      },
      onData (chunk: Buffer): boolean {
        copy?.(chunk)
        return res.write(chunk)
      },
      onComplete (): void {
        res.end()
        finish(undefined)
      },
      onError (error: Error): void {
        finish(error)
      }
    }
    try {
      dispatcher.dispatch(options, handler as unknown as Dispatcher.DispatchHandler)
    } catch (error) {
      finish(error)
    }
  })
}
