/** The chart.js plugin that shades phases and draws event markers; the HTML page carries the same drawing in its script. */
import type { Chart, Plugin } from 'chart.js'
import type { BandsPluginOptions } from './chart-config.js'

function visible (chart: Chart): { left: number, right: number, top: number, bottom: number } {
  const area = chart.chartArea
  return { left: area.left, right: area.right, top: area.top, bottom: area.bottom }
}

/** Pale phase bands under the lines, their names and the markers over them. */
export const bandsPlugin: Plugin<'line', BandsPluginOptions> = {
  id: 'cutoverBands',
  beforeDatasetsDraw (chart, _args, options) {
    const x = chart.scales.x
    if (x === undefined || options.bands === undefined) return
    const area = visible(chart)
    const ctx = chart.ctx
    ctx.save()
    for (const band of options.bands) {
      const from = Math.max(area.left, x.getPixelForValue(band.from))
      const to = Math.min(area.right, x.getPixelForValue(band.to))
      if (to <= from) continue
      ctx.fillStyle = band.color
      ctx.fillRect(from, area.top, to - from, area.bottom - area.top)
    }
    ctx.restore()
  },
  afterDatasetsDraw (chart, _args, options) {
    const x = chart.scales.x
    if (x === undefined) return
    const area = visible(chart)
    const ctx = chart.ctx
    ctx.save()
    ctx.font = '11px sans-serif'
    ctx.textBaseline = 'top'
    for (const band of options.bands ?? []) {
      const from = Math.max(area.left, x.getPixelForValue(band.from))
      const to = Math.min(area.right, x.getPixelForValue(band.to))
      if (to - from < ctx.measureText(band.label).width + 8) continue
      ctx.fillStyle = 'rgba(87,96,106,0.85)'
      ctx.fillText(band.label, from + 4, area.top + 4)
    }
    for (const marker of options.markers ?? []) {
      const at = x.getPixelForValue(marker.x)
      if (at < area.left || at > area.right) continue
      ctx.strokeStyle = marker.color
      ctx.setLineDash([4, 3])
      ctx.lineWidth = 1.5
      ctx.beginPath()
      ctx.moveTo(at, area.top)
      ctx.lineTo(at, area.bottom)
      ctx.stroke()
      ctx.fillStyle = marker.color
      ctx.fillText(marker.label, Math.min(at + 4, area.right - ctx.measureText(marker.label).width - 2), area.top + 18)
    }
    ctx.restore()
  }
}
