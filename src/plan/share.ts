/**
 * One share of a run's plan: shards (processes, possibly on other machines) and workers (threads) are two ways of
 * splitting the same plan. The split is deterministic striping, as k6's execution segments do: open-model arrival k
 * belongs to share k mod count, so any complete set of shares adds up to exactly the plan, with no arrival twice.
 */
import type { PlannedPhase } from './phases.js'

/** Share `index` (0-based) of `count` equal shares. */
export interface PlanShare {
  index: number
  count: number
}

/** The whole plan: one share of one. */
export const wholePlan: PlanShare = Object.freeze({ index: 0, count: 1 })

/** True when the share is the whole plan. */
export function isWhole (share: PlanShare): boolean {
  return share.count === 1
}

/** This share's part of `total` whole units (connections, a limit): the first `total mod count` shares take one more. */
export function shareOfCount (total: number, share: PlanShare): number {
  const base = Math.floor(total / share.count)
  return base + (share.index < total % share.count ? 1 : 0)
}

/** The first arrival index at or after `k` that belongs to this share. */
export function firstArrivalOf (k: number, share: PlanShare): number {
  const offset = (((share.index - k) % share.count) + share.count) % share.count
  return k + offset
}

/** How many of arrivals [from, to) belong to this share. */
export function arrivalsOf (from: number, to: number, share: PlanShare): number {
  const first = firstArrivalOf(from, share)
  return first >= to ? 0 : Math.floor((to - 1 - first) / share.count) + 1
}

/**
 * The phase as this share runs it: a closed phase with its share of the connections, an open phase with its share
 * of the in-flight limit (at least 1). The open phase keeps the whole plan's rates: its driver sends only its
 * share's arrivals of that schedule (`firstArrivalOf`, stepping by `count`), so the shares interleave in time.
 */
export function phaseShare (phase: PlannedPhase, share: PlanShare): PlannedPhase {
  if (isWhole(share)) return phase
  if (phase.kind === 'closed') return { ...phase, connections: shareOfCount(phase.connections, share) }
  return { ...phase, maxInFlight: Math.max(1, shareOfCount(phase.maxInFlight, share)) }
}

/** The seed of a share's random numbers: the run's own seed for the whole plan, a distinct reproducible one per share. */
export function shareSeed (seed: number, share: PlanShare): number {
  if (isWhole(share)) return seed
  // a 32-bit mix of seed, index and count (the shares of 2 and of 4 differ)
  let h = (seed ^ Math.imul(share.index + 1, 0x9e3779b1) ^ Math.imul(share.count, 0x85ebca6b)) >>> 0
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0
  return (h ^ (h >>> 16)) >>> 0
}

/** The n-th (1-based) value of `counter()` this share hands out: unique across shares, 1…N over all of them together. */
export function shareCounter (n: number, share: PlanShare): number {
  return (n - 1) * share.count + share.index + 1
}

/** `2/4` → share index 1 of 4 (the text counts from 1, as people and GitLab do); undefined when it is not that form. */
export function parseShare (text: string): PlanShare | undefined {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text)
  if (match === null) return undefined
  const index = Number(match[1])
  const count = Number(match[2])
  if (!Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) return undefined
  return { index: index - 1, count }
}

/** `2/4`: the share as people write it, counted from 1. */
export function describeShare (share: PlanShare): string {
  return `${share.index + 1}/${share.count}`
}

/** The seed shards share when none was given: taken from their common start time, so every shard draws alike. */
export function seedFromStartTime (startAt: Date): number {
  let h = 0x811c9dc5
  for (const char of startAt.toISOString()) h = Math.imul(h ^ char.charCodeAt(0), 0x01000193) >>> 0
  return h & 0x7fffffff
}
