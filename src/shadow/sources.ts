/** Where shadowed requests come from: the scenario's request mix, or a recording replayed in order. */

import { RequestMix } from '../load/request-mix.js'
import type { CompiledRequest } from '../scenario/compiled.js'
import { defaultTimeoutMs } from '../scenario/compiled.js'
import type { LoadedScenario } from '../scenario/load.js'
import { replayEndpoint, type ReplayEntry } from './replay.js'

/** One request to send to every arm. */
export interface ShadowRequest {
  /** What it is counted under: the request's name, or method and path pattern for recorded traffic. */
  endpoint: string
  method: string
  path: string
  headers: Record<string, string> | undefined
  body: string | undefined
  timeoutMs: number
  /** The request explicitly allows a mutating method (`allowMutating`, or `--allow-mutating` for a recording). */
  allowMutating: boolean
  /** The scenario request it was rendered from, for its `expect` block. */
  spec: CompiledRequest | undefined
}

/** Hands out requests until it runs dry (a recording) or forever (a mix). */
export interface RequestSource {
  next: () => ShadowRequest | undefined
}

/** Requests picked by weight from `requests` and rendered with the scenario's templates and data. */
export function mixSource (scenario: LoadedScenario, requests: CompiledRequest[], random: () => number, env: Record<string, string | undefined>, timeoutMs?: number): RequestSource {
  // per-target headers are added when sending, so the mix renders without them
  const mix = new RequestMix(requests, scenario.data, random, env)
  return {
    next: () => {
      const rendered = mix.next()
      return {
        endpoint: rendered.spec.name,
        method: rendered.method,
        path: rendered.path,
        headers: rendered.headers,
        body: rendered.body,
        timeoutMs: timeoutMs ?? rendered.spec.timeoutMs,
        allowMutating: rendered.spec.allowMutating,
        spec: rendered.spec
      }
    }
  }
}

/** Most distinct endpoints a recording is split into; the rest count under `<method> (other paths)`. */
export const maxReplayEndpoints = 200

/** Each recorded call once, in order. */
export function replaySource (entries: readonly ReplayEntry[], options: { timeoutMs?: number | undefined, allowMutating: boolean }): RequestSource {
  let index = 0
  const endpoints = new Set<string>()
  return {
    next: () => {
      const entry = entries[index++]
      if (entry === undefined) return undefined
      let endpoint = replayEndpoint(entry.method, entry.path)
      if (!endpoints.has(endpoint)) {
        if (endpoints.size >= maxReplayEndpoints) endpoint = `${entry.method} (other paths)`
        else endpoints.add(endpoint)
      }
      return {
        endpoint,
        method: entry.method,
        path: entry.path,
        headers: Object.keys(entry.headers).length === 0 ? undefined : entry.headers,
        body: entry.body,
        timeoutMs: options.timeoutMs ?? defaultTimeoutMs,
        allowMutating: options.allowMutating,
        spec: undefined
      }
    }
  }
}
