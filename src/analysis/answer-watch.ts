import type { RequestCounts } from '../core/result-types.js'

/**
 * Error kinds that are not about reaching the service: it answered (badly), or cutover held the request back.
 * `cut off` is not here: it only happens after a run's drain deadline, to requests that waited that long for an answer.
 */
const answeredOrHeldBack = new Set(['dropped', 'expectation', 'other'])

/** True when `kind` means the request got no HTTP response from the service (refused, reset, timeout, dns...). */
export function isUnanswered (kind: string): boolean {
  // `hook: ...` failed in scenario code (before sending, or on an answer); `expectation: ...` is an answer afterResponse refused
  return !answeredOrHeldBack.has(kind) && !kind.startsWith('http ') && !kind.startsWith('hook: ') && !kind.startsWith('expectation: ')
}

/** How long a target may answer nothing while requests keep failing before it counts as unreachable. */
export const defaultSilenceLimitMs = 5000

/** Fewest failed requests in the silent stretch before a verdict: a couple of lost requests prove nothing. */
const minUnanswered = 5

/** Why a target stopped counting as reachable. */
export interface SilenceVerdict {
  /** Length of the stretch with no HTTP response, milliseconds of load (idle slices do not count). */
  silentMs: number
  /** Requests of that stretch that ended without a response, by kind. */
  byKind: Record<string, number>
  unanswered: number
  /** True when the target has not answered a single request during the whole run. */
  never: boolean
}

/**
 * Follows one target's intervals and says when it stopped answering: for `limitMs` of load, every request that
 * ended, ended without an HTTP response. Intervals where nothing ended (idle slices, requests still waiting for
 * their timeout) neither extend nor end the stretch; any response ends it.
 */
export class AnswerWatch {
  private silentMs = 0
  private byKind: Record<string, number> = {}
  private unanswered = 0
  private answeredEver = false

  constructor (private readonly limitMs = defaultSilenceLimitMs) {}

  /** Adds one interval; returns the verdict when the silence has lasted `limitMs`. */
  add (counts: RequestCounts, durationMs: number): SilenceVerdict | undefined {
    const responses = Object.values(counts.byStatus).reduce((sum, n) => sum + n, 0)
    if (responses > 0) {
      this.answeredEver = true
      this.silentMs = 0
      this.byKind = {}
      this.unanswered = 0
      return undefined
    }
    let failed = 0
    for (const [kind, n] of Object.entries(counts.byError)) {
      if (!isUnanswered(kind)) continue
      failed += n
      this.byKind[kind] = (this.byKind[kind] ?? 0) + n
    }
    if (failed === 0) return undefined
    this.unanswered += failed
    this.silentMs += durationMs
    return this.silentMs >= this.limitMs && this.unanswered >= minUnanswered ? this.verdict() : undefined
  }

  /** At the end of a run: the verdict when the target never answered at all (however short the run). */
  atEnd (): SilenceVerdict | undefined {
    return !this.answeredEver && this.unanswered > 0 ? this.verdict() : undefined
  }

  private verdict (): SilenceVerdict {
    return { silentMs: this.silentMs, byKind: { ...this.byKind }, unanswered: this.unanswered, never: !this.answeredEver }
  }
}

/** `reset 40, timeout 12`, largest first. */
export function describeKinds (byKind: Record<string, number>): string {
  return Object.entries(byKind).sort((a, b) => b[1] - a[1]).map(([kind, n]) => `${kind} ${n}`).join(', ')
}
