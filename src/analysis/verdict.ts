import type { CheckResult, Verdict } from '../core/result-types.js'

/** fail if any check failed; inconclusive if any could not decide; pass otherwise. Warnings do not change it. */
export function verdictOf (checks: CheckResult[]): Verdict {
  if (checks.some((check) => check.status === 'fail')) return 'fail'
  if (checks.some((check) => check.status === 'inconclusive')) return 'inconclusive'
  return 'pass'
}
