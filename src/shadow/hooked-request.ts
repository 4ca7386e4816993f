/**
 * A shadow request through its `beforeRequest` hook, once per arm (a signature may cover the host): the hook's
 * changes go to that arm only. A hook that throws, or that turns a read-only request into a mutating one the request
 * did not opt into, fails that arm's answer and sends nothing.
 */
import { beforeRequest, HookFailure, messageKind } from '../load/run-hooks.js'
import type { HookContext } from '../scenario/hook-types.js'
import type { ShadowAnswer } from './answer.js'
import { maySend } from './safety.js'
import type { ShadowRequest } from './sources.js'

/** A failed answer that never reached the service. */
function unsent (kind: string): ShadowAnswer {
  return { status: 0, headers: {}, body: '', truncated: false, error: kind, latencyMs: 0 }
}

/** `request` as its beforeRequest hook leaves it for one arm, or the failed answer when the hook fails. */
export async function hookedRequest (request: ShadowRequest, context: HookContext | undefined): Promise<ShadowRequest | ShadowAnswer> {
  const hooks = request.spec?.hooks
  if (hooks?.before === undefined || context === undefined || request.spec === undefined) return request
  try {
    const changed = await beforeRequest(hooks, { spec: request.spec, method: request.method, path: request.path, headers: request.headers, body: request.body }, context)
    if (!maySend(changed.method, request.allowMutating)) return unsent(messageKind('hook', `beforeRequest turned a read-only request into ${changed.method}; not shadowed`))
    return { ...request, method: changed.method, path: changed.path, headers: changed.headers, body: changed.body }
  } catch (error) {
    if (error instanceof HookFailure) return unsent(error.kind)
    throw error
  }
}
