/** One answer of one service to a shadowed request, as received. */
export interface ShadowAnswer {
  /** HTTP status; 0 when no response came (see `error`). */
  status: number
  /** Response headers, lower-case names. */
  headers: Record<string, string>
  /** Body as text, up to the comparison limit. */
  body: string
  /** True when the body was longer than the comparison limit and was cut. */
  truncated: boolean
  /** Why no response came: timeout, refused, reset…; undefined when one did. */
  error: string | undefined
  latencyMs: number
}
