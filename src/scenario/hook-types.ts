/**
 * What scenario code sees: the request a `beforeRequest` hook may change, the response an `afterResponse` hook
 * judges, and the context both get. A hooks module exports any of `beforeRequest`, `afterResponse`, `setup` and
 * `teardown` (and other functions that requests name).
 */

/** A request about to be sent; change it in place or return the changed fields. */
export interface HookRequest {
  /** The request's (or journey step's) name in the scenario. */
  readonly name: string
  method: string
  /** Path and query. */
  path: string
  /** Header names in lower case. */
  headers: Record<string, string>
  body: string | undefined
}

/** A response as `afterResponse` reads it. */
export interface HookResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  /** The body as text (up to 1 MB). */
  body: string
  /** From the intended send time, as cutover measures every latency. */
  latencyMs: number
  /** The request as it was sent. */
  request: Readonly<HookRequest>
}

/** What every hook gets besides the request or response. */
export interface HookContext {
  /** The target the request goes to: `old`, `new`, ... */
  target: string
  /** The target's base URL. */
  url: string
  /** Values captured earlier in this journey iteration; a hook may add its own for later steps. */
  vars: Record<string, unknown>
  /** What `setup()` returned (undefined without a setup). */
  data: unknown
  /** The environment `env()` reads in templates (`-e KEY=VALUE` included). */
  env: Readonly<Record<string, string | undefined>>
}

/** `beforeRequest`: may change the request (headers, body, path, method); may be async. */
export type BeforeRequestHook = (request: HookRequest, context: HookContext) => void | Partial<HookRequest> | Promise<void | Partial<HookRequest>>

/** `afterResponse`: a custom expectation; returns a failure reason (a non-empty string), or nothing when the response is right. */
export type AfterResponseHook = (response: HookResponse, context: HookContext) => void | string | undefined | Promise<void | string | undefined>

/** What `setup()` and `teardown()` get: every target's URL and the environment. */
export interface SetupContext {
  targets: Record<string, string>
  env: Readonly<Record<string, string | undefined>>
}

/** Run once before the load (log in, seed data); what it returns is `context.data` in every hook. */
export type SetupHook = (context: SetupContext) => unknown
/** Run once after the load, with what setup returned. */
export type TeardownHook = (context: SetupContext & { data: unknown }) => unknown

/** A hooks module as a scenario in code can give it inline (`hooks: { beforeRequest, ... }`). */
export interface ScenarioHooks {
  beforeRequest?: BeforeRequestHook
  afterResponse?: AfterResponseHook
  setup?: SetupHook
  teardown?: TeardownHook
  [name: string]: unknown
}

/** The hooks bound to one request. */
export interface RequestHooks {
  before: BeforeRequestHook | undefined
  after: AfterResponseHook | undefined
}
