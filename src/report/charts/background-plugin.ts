/** The chart.js plugin that paints a PNG's background: a canvas starts transparent, and a transparent chart is unreadable on a dark page. */
import type { Plugin } from 'chart.js'

/** Fills the whole chart with `color` behind everything drawn on it. */
export function backgroundPlugin (color: string): Plugin {
  return {
    id: 'cutoverBackground',
    beforeDraw (chart) {
      const ctx = chart.ctx
      ctx.save()
      // drawn under whatever is already there, so it cannot cover a plugin that drew earlier
      ctx.globalCompositeOperation = 'destination-over'
      ctx.fillStyle = color
      ctx.fillRect(0, 0, chart.width, chart.height)
      ctx.restore()
    }
  }
}
