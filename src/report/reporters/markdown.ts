import { join } from 'node:path'
import { writeTextAtomic } from '../../rundir/atomic-write.js'
import { allCharts } from '../charts/build-charts.js'
import { buildReportModel } from '../html/build-model.js'
import { renderMarkdown } from '../markdown.js'
import type { Reporter } from '../reporter.js'

/** summary.md: the verdict, checks and key numbers for CI job summaries and pull requests. */
export const markdownReporter: Reporter = {
  name: 'markdown',
  writes: 'summary.md',
  write: (input) => {
    const path = join(input.runDir, 'summary.md')
    const diagrams = allCharts(input.charts).filter((spec) => spec.png === true)
    writeTextAtomic(path, renderMarkdown(buildReportModel(input), input.pngs.map((png) => ({ title: png.title, path: `charts/${png.file}` })), diagrams))
    return { files: [path] }
  }
}
