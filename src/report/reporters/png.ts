import { join } from 'node:path'
import { allCharts } from '../charts/build-charts.js'
import type { Reporter } from '../reporter.js'

/** charts/*.png: the report's main charts as images, for summary.md and artifact browsing. */
export const pngReporter: Reporter = {
  name: 'png',
  writes: 'charts/*.png',
  write: async (input) => {
    // loaded here, not with the module: a canvas that cannot load fails the charts, never the other reports
    const { renderPngs } = await import('../charts/render-png.js')
    const pngs = renderPngs(allCharts(input.charts), join(input.runDir, 'charts'))
    return { files: pngs.map((png) => join(input.runDir, 'charts', png.file)), pngs }
  }
}
