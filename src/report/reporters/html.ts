import { join } from 'node:path'
import { writeTextAtomic } from '../../rundir/atomic-write.js'
import { buildReportModel } from '../html/build-model.js'
import { renderHtml } from '../html/render-html.js'
import type { Reporter } from '../reporter.js'

/** report.html: one self-contained page, opened offline. */
export const htmlReporter: Reporter = {
  name: 'html',
  writes: 'report.html',
  write: (input) => {
    const path = join(input.runDir, 'report.html')
    writeTextAtomic(path, renderHtml(buildReportModel(input)))
    return { files: [path] }
  }
}
