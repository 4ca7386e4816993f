import { join } from 'node:path'
import { writeTextAtomic } from '../../rundir/atomic-write.js'
import { renderJunit } from '../junit.js'
import type { Reporter } from '../reporter.js'

/** junit.xml: one test case per check, for CI test reporters. */
export const junitReporter: Reporter = {
  name: 'junit',
  writes: 'junit.xml',
  write: (input) => {
    const path = join(input.runDir, 'junit.xml')
    writeTextAtomic(path, renderJunit(input.result))
    return { files: [path] }
  }
}
