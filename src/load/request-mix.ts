import type { CompiledRequest } from '../scenario/compiled.js'
import type { DataSource } from '../scenario/data-files.js'
import type { RenderContext } from '../scenario/templates.js'
import { shareCounter, wholePlan, type PlanShare } from '../plan/share.js'
import type { HookContext } from '../scenario/hook-types.js'

/** What hooks are told about the target they run for, and what setup() returned. */
export interface HookScope {
  target: string
  url: string
  data: unknown
}

/** A request ready to send. */
export interface RenderedRequest {
  spec: CompiledRequest
  method: string
  path: string
  /** Undefined when there are none (cheaper for undici). */
  headers: Record<string, string> | undefined
  body: string | undefined
}

/** Picks requests by weight and renders their templates, reading data rows and env. */
export class RequestMix {
  private readonly cumulative: number[] = []
  private readonly totalWeight: number
  private readonly cursors = new Map<string, number>()
  private counter = 0
  private rows = new Map<string, Record<string, unknown>>()
  private readonly ctx: RenderContext
  /** Set when the scenario has hooks: the target and setup's data every hook context carries. */
  hookScope: HookScope | undefined

  constructor (
    readonly requests: CompiledRequest[],
    private readonly data: Map<string, DataSource>,
    readonly random: () => number,
    private readonly env: Record<string, string | undefined>,
    private readonly baseHeaders: Record<string, string> = {},
    /** A shard's or worker's share: counter() values and sequential data rows are striped, so shares never repeat each other's. */
    private readonly share: PlanShare = wholePlan
  ) {
    let sum = 0
    for (const request of requests) {
      sum += request.weight
      this.cumulative.push(sum)
    }
    this.totalWeight = sum
    this.ctx = {
      random,
      // own variables only: env('constructor') must not find Object.prototype
      env: (name) => Object.hasOwn(env, name) ? env[name] : undefined,
      row: (source) => this.rowOf(source),
      vars: {},
      next: () => shareCounter(++this.counter, this.share)
    }
    for (const request of requests) {
      const isConstant = request.path.constant && request.headers.every(([, value]) => value.constant) && request.body === undefined
      if (isConstant) this.constant.set(request, Object.freeze(this.renderFresh(request)))
    }
  }

  /** The context hooks get, with a journey iteration's captured `vars` (fresh ones for a single request); undefined without hooks. */
  hookContext (vars: Record<string, unknown> = {}): HookContext | undefined {
    const scope = this.hookScope
    if (scope === undefined) return undefined
    return { target: scope.target, url: scope.url, vars, data: scope.data, env: this.env }
  }

  /** A request chosen by weight. */
  pick (): CompiledRequest {
    const r = this.random() * this.totalWeight
    // few requests in a mix: a linear scan beats a binary search
    for (let i = 0; i < this.cumulative.length; i++) {
      if (r < (this.cumulative[i] ?? 0)) return this.requests[i] as CompiledRequest
    }
    return this.requests[this.requests.length - 1] as CompiledRequest
  }

  /** Renders `spec` with fresh data rows and random values; a request without templates is rendered once and reused. */
  render (spec: CompiledRequest, vars?: Record<string, unknown>): RenderedRequest {
    const cached = this.constant.get(spec)
    if (cached !== undefined) return cached
    return this.renderFresh(spec, vars)
  }

  private renderFresh (spec: CompiledRequest, vars?: Record<string, unknown>): RenderedRequest {
    this.rows.clear()
    if (vars !== undefined) this.ctx.vars = vars
    const headers: Record<string, string> = { ...this.baseHeaders }
    for (const [name, template] of spec.headers) headers[name] = template.render(this.ctx)
    const body = spec.body?.(this.ctx)
    if (body !== undefined && spec.contentType !== undefined && headers['content-type'] === undefined) headers['content-type'] = spec.contentType
    return { spec, method: spec.method, path: spec.path.render(this.ctx), headers: Object.keys(headers).length === 0 ? undefined : headers, body }
  }

  private readonly constant = new Map<CompiledRequest, RenderedRequest>()

  /** True when `spec` has no templates, so it renders the same every time. */
  isConstant (spec: CompiledRequest): boolean {
    return this.constant.has(spec)
  }

  /** Picks and renders the next request of the mix. */
  next (): RenderedRequest {
    return this.render(this.pick())
  }

  private rowOf (source: string): Record<string, unknown> {
    const cached = this.rows.get(source)
    if (cached !== undefined) return cached
    const data = this.data.get(source)
    if (data === undefined || data.rows.length === 0) return {}
    let index: number
    if (data.order === 'sequential') {
      const taken = this.cursors.get(source) ?? 0
      this.cursors.set(source, taken + 1)
      index = (shareCounter(taken + 1, this.share) - 1) % data.rows.length
    } else {
      index = Math.floor(this.random() * data.rows.length)
    }
    const row = data.rows[index] ?? {}
    this.rows.set(source, row)
    return row
  }
}
