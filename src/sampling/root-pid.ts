import { readFile } from 'node:fs/promises'
import { CutoverError } from '../core/errors.js'

/** Where the root of a monitored process tree is found, asked again on every sample. */
export interface RootPid {
  /** `pid 1234`, `pid file ./old.pid`: for messages. */
  readonly description: string
  /** True when the root may change (a restarted service writes a new pid file) and the sampler should follow it. */
  readonly followsRestarts: boolean
  /** The root's pid now; undefined when there is none (the pid file is missing or garbled mid-run). */
  current: () => Promise<number | undefined>
}

/** A fixed pid; fails with `TARGET_UNREACHABLE` when no such process runs. */
export function fixedRootPid (pid: number): RootPid {
  if (!Number.isInteger(pid) || pid <= 0) {
    throw new CutoverError('TARGET_UNREACHABLE', `monitor pid ${pid} is not a process id`, { hint: 'Give the pid of the running service, a positive whole number' })
  }
  if (!isRunning(pid)) {
    throw new CutoverError('TARGET_UNREACHABLE', `No process with pid ${pid} is running, so its CPU and memory cannot be sampled`, {
      hint: 'Start the service first, or check the pid in monitor.pid'
    })
  }
  return { description: `pid ${pid}`, followsRestarts: false, current: async () => pid }
}

/** A pid read from `path` on every sample, so a restarted service is followed; the file must name a running process now. */
export async function pidFileRootPid (path: string): Promise<RootPid> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${(error as Error).message})`
    throw new CutoverError('TARGET_UNREACHABLE', `The pid file ${path} ${reason}, so the service's CPU and memory cannot be sampled`, {
      hint: 'Start the service so that it writes its pid file before the run, or fix monitor.pidFile (relative paths are taken from the scenario file\'s folder)',
      cause: error
    })
  }
  const pid = parsePidFile(text)
  if (pid === undefined) {
    throw new CutoverError('TARGET_UNREACHABLE', `The pid file ${path} does not hold a process id (it reads ${JSON.stringify(text.slice(0, 40))})`, {
      hint: 'A pid file holds one positive whole number, e.g. 12345'
    })
  }
  if (!isRunning(pid)) {
    throw new CutoverError('TARGET_UNREACHABLE', `The pid file ${path} names pid ${pid}, but no such process is running`, {
      hint: 'The pid file may be stale: restart the service'
    })
  }
  return {
    description: `pid file ${path}`,
    followsRestarts: true,
    current: async () => {
      try {
        return parsePidFile(await readFile(path, 'utf8'))
      } catch {
        return undefined
      }
    }
  }
}

/** The pid in a pid file's text: one positive integer, surrounding whitespace allowed; undefined otherwise. */
export function parsePidFile (text: string): number | undefined {
  const match = /^\s*(\d+)\s*$/.exec(text)
  if (match === null) return undefined
  const pid = Number(match[1])
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined
}

/** True when a process with this pid exists (signal 0 checks without sending anything; EPERM means it exists). */
export function isRunning (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
