/**
 * Everything decided before a shadow run sends anything: the roles of the targets, the plan, the rules, and which
 * requests are sent (from the mix or a recording) and which are left out. `--dry-run` shows exactly this.
 */

import { defaultJudgeSettings, type JudgeSettings } from '../analysis/shadow/judge.js'
import { CutoverError } from '../core/errors.js'
import type { CompiledRequest } from '../scenario/compiled.js'
import type { LoadedScenario } from '../scenario/load.js'
import { shadowArms, type ArmFlags, type ShadowArms } from './arms.js'
import { planShadow, type ShadowPlan, type ShadowPlanFlags } from './plan.js'
import { readReplayFile, type ReplayTraffic } from './replay.js'
import { compileShadowRules, type ShadowRules } from './rules.js'
import { selectShadowRequests, type SkippedRequest } from './selection.js'
import { mixSource, replaySource, type RequestSource } from './sources.js'

/** What the command line can set. */
export interface ShadowFlags extends ShadowPlanFlags, ArmFlags {
  /** A HAR or NDJSON recording to send instead of the scenario's mix. */
  replay?: string | undefined
  /** Send the mutating calls of the recording too. */
  allowMutating?: boolean | undefined
  /** Per-request timeout overriding the scenario's. */
  timeoutMs?: number | undefined
}

/** A shadow run, decided. */
export interface PreparedShadow {
  scenario: LoadedScenario
  arms: ShadowArms
  plan: ShadowPlan
  rules: ShadowRules
  /** The requests of the mix to shadow; empty with a recording. */
  requests: CompiledRequest[]
  replay: ReplayTraffic | undefined
  skipped: SkippedRequest[]
  judge: JudgeSettings
  maxMismatchRate: number
  timeoutMs: number | undefined
  allowMutatingReplay: boolean
}

/** Checks and decides everything; throws CutoverError (exit 2) for anything the user must fix first. */
export function prepareShadow (scenario: LoadedScenario, flags: ShadowFlags = {}): PreparedShadow {
  if (flags.allowMutating === true && flags.replay === undefined) {
    throw new CutoverError('USAGE', '--allow-mutating applies to --replay only', {
      hint: 'a request of the scenario opts in with allowMutating: true on the request itself'
    })
  }
  const arms = shadowArms(Object.keys(scenario.config.targets), flags)
  const rules = compileShadowRules(scenario.config.shadow, scenario.file)
  const plan = planShadow(scenario.config.phases, flags)
  let requests: CompiledRequest[] = []
  let replay: ReplayTraffic | undefined
  let skipped: SkippedRequest[]
  if (flags.replay !== undefined) {
    replay = readReplayFile(flags.replay, flags.allowMutating === true)
    skipped = replay.skipped
    if (replay.entries.length === 0) {
      throw new CutoverError('SHADOW_CONFIG', `nothing to replay from ${flags.replay}: every recorded call is mutating`, { hint: 'pass --allow-mutating only if sending them three times is harmless' })
    }
  } else {
    const selection = selectShadowRequests(scenario)
    requests = selection.requests
    skipped = selection.skipped
  }
  return {
    scenario,
    arms,
    plan,
    rules,
    requests,
    replay,
    skipped,
    judge: { ...defaultJudgeSettings, mode: rules.mode },
    maxMismatchRate: scenario.config.checks?.shadow?.maxMismatchRate ?? 0,
    timeoutMs: flags.timeoutMs,
    allowMutatingReplay: flags.allowMutating === true
  }
}

/** The requests of the run: the recording in order, or the mix by weight. */
export function requestSource (prepared: PreparedShadow, random: () => number, env: Record<string, string | undefined>): RequestSource {
  if (prepared.replay !== undefined) return replaySource(prepared.replay.entries, { timeoutMs: prepared.timeoutMs, allowMutating: prepared.allowMutatingReplay })
  return mixSource(prepared.scenario, prepared.requests, random, env, prepared.timeoutMs)
}
