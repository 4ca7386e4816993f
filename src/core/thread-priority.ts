/**
 * Background threads that give way. On Linux every thread has a niceness of its own (setpriority on thread id 0 is
 * the calling thread), so a worker can lower itself without slowing the thread that serves callers; elsewhere the
 * same call would lower the whole process, so it is left alone there.
 */
import { setPriority } from 'node:os'

/** The niceness a background thread takes: the lowest priority there is. */
export const backgroundNiceness = 19

/** Lowers the calling thread to `backgroundNiceness` on Linux; true when it did. Never throws. */
export function lowerThisThreadsPriority (): boolean {
  if (process.platform !== 'linux') return false
  try {
    setPriority(0, backgroundNiceness)
    return true
  } catch {
    return false
  }
}
