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
    ci: env.CI !== undefined && env.CI !== '' && env.CI !== 'false'
  }
}
