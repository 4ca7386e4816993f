/** The shadow run's one promise about side effects (SPEC §5): only GET, HEAD and OPTIONS, unless a request opts in. */

/** Methods that do not change anything on the server. */
export const readOnlyMethods: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS'])

/** True for GET, HEAD and OPTIONS. */
export function isReadOnlyMethod (method: string): boolean {
  return readOnlyMethods.has(method.toUpperCase())
}

/** Why a mutating request is not shadowed by default, for messages. */
export const mutatingExplanation = 'a shadow run sends every request three times (twice to old, once to new), so a POST would create three orders'

/** True when `method` may be sent: read-only, or mutating with an explicit opt-in. */
export function maySend (method: string, allowMutating: boolean): boolean {
  return isReadOnlyMethod(method) || allowMutating
}
