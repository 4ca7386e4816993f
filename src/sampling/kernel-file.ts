import { closeSync, openSync, readSync } from 'node:fs'

const buffer = Buffer.alloc(64 * 1024)

/**
 * The text of a small kernel file (`/proc/PID/stat`, cgroup files), read synchronously; undefined when it cannot be read.
 * Synchronous on purpose: open + read + close of such a file costs about 10 µs, while an async `readFile` costs about
 * 200 µs of CPU in thread-pool hops, which at a 100 ms interval made the sampler cost more than what it measures.
 */
export function readKernelFile (path: string): string | undefined {
  let fd: number | undefined
  try {
    fd = openSync(path, 'r')
    let length = 0
    // kernel files report size 0, so read until a read comes back empty
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null)
      if (read === 0 || length + read >= buffer.length) return buffer.toString('latin1', 0, length + read)
      length += read
    }
  } catch {
    return undefined
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}
