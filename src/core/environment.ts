import { execFileSync } from 'node:child_process'
import { arch, cpus, platform, release, totalmem } from 'node:os'
import { toolVersion } from './version.js'

/** Where a run happened; baselines compare it to tell whether two runs are comparable. */
export interface EnvironmentInfo {
  cutover: string
  node: string
  platform: string
  release: string
  arch: string
  cpuModel: string
  cores: number
  memoryBytes: number
  ci: boolean
  /** The commit the run was made from (CI variables, else `git rev-parse HEAD` in the working folder); `cutover history` shows it. */
  commit?: string
}

/** Describes this machine. */
export function describeEnvironment (env: Record<string, string | undefined> = process.env): EnvironmentInfo {
  const cpuList = cpus()
  return {
    cutover: toolVersion,
    node: process.version,
    platform: platform(),
    release: release(),
    arch: arch(),
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    memoryBytes: totalmem(),
    ci: env.CI !== undefined && env.CI !== '' && env.CI !== 'false',
    ...commitOf(env)
  }
}

/** Variables CI services set to the commit they build (GitHub Actions, GitLab, Buildkite, CircleCI, Jenkins), and ours. */
const commitVariables = ['CUTOVER_COMMIT', 'GITHUB_SHA', 'CI_COMMIT_SHA', 'BUILDKITE_COMMIT', 'CIRCLE_SHA1', 'GIT_COMMIT']

/** `{ commit }` from the CI's variables or from git in the working folder; empty when neither knows. */
function commitOf (env: Record<string, string | undefined>): { commit?: string } {
  for (const name of commitVariables) {
    const value = env[name]?.trim()
    if (value !== undefined && /^[0-9a-f]{7,64}$/i.test(value)) return { commit: value.toLowerCase() }
  }
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', timeout: 2000, stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    return /^[0-9a-f]{40,64}$/.test(head) ? { commit: head } : {}
  } catch {
    // not a git checkout, or no git: the history shows dates only
    return {}
  }
}
