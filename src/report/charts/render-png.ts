/** Draws charts into PNG files with chart.js on @napi-rs/canvas (white background, synchronous rendering). */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createCanvas } from '@napi-rs/canvas'
import { Chart, registerables, type ChartConfiguration, type ChartItem } from 'chart.js'
import { backgroundPlugin } from './background-plugin.js'
import { bandsPlugin } from './band-plugin.js'
import { chartConfig, pointsOf } from './chart-config.js'
import type { ChartSpec } from './chart-spec.js'

// What chart.js/auto does; this chart.js is the one Node loads for images, the HTML page inlines its own copy.
Chart.register(...registerables)
Chart.defaults.font.family = "'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif"
Chart.defaults.font.size = 12

/** Size of every PNG in CSS pixels; drawn at twice the density so it stays sharp on PR pages. */
export const pngSize = { width: 900, height: 360, pixelRatio: 2 }

/** A file-name-safe version of a chart id (`leak-old` stays, anything odd becomes `-`). */
export function pngFileName (id: string): string {
  const safe = id.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+/, '').slice(0, 80)
  return `${safe === '' ? 'chart' : safe}.png`
}

/** A PNG written for a chart. */
export interface WrittenPng {
  id: string
  title: string
  /** File name inside the charts folder. */
  file: string
}

/** The PNG bytes of one chart.js configuration, drawn on a fresh canvas of `pngSize`. */
function drawPng (config: ChartConfiguration): Buffer {
  const canvas = createCanvas(pngSize.width, pngSize.height)
  // no DOM in Node: a fixed size and no animation, so the chart is complete when the constructor returns
  config.options = { ...config.options, responsive: false, animation: false, devicePixelRatio: pngSize.pixelRatio }
  const chart = new Chart(canvas.getContext('2d') as unknown as ChartItem, config)
  try {
    return canvas.toBuffer('image/png')
  } finally {
    chart.destroy()
  }
}

/** Renders the specs marked `png` into `<dir>/<id>.png`; returns what was written, in order. */
export function renderPngs (specs: readonly ChartSpec[], dir: string): WrittenPng[] {
  const charts = specs.filter((spec) => spec.png === true)
  if (charts.length === 0) return []
  mkdirSync(dir, { recursive: true })
  const written: WrittenPng[] = []
  const used = new Set<string>()
  for (const spec of charts) {
    const json = chartConfig(spec, true)
    json.data.datasets.forEach((dataset, index) => { dataset.data = pointsOf(spec.lines[index]?.points ?? []) })
    const options = json.options as Record<string, unknown> & { plugins: { legend: { labels: Record<string, unknown> } } }
    options.plugins.legend.labels.filter = (item: { datasetIndex?: number }) => json.data.datasets[item.datasetIndex ?? -1]?.hideInLegend !== true
    const config = { ...json, plugins: [backgroundPlugin('white'), bandsPlugin] } as unknown as ChartConfiguration
    let name = pngFileName(spec.id)
    for (let n = 2; used.has(name); n++) name = pngFileName(`${spec.id}-${n}`)
    used.add(name)
    const path = join(dir, name)
    writeFileSync(`${path}.tmp`, drawPng(config))
    renameSync(`${path}.tmp`, path)
    written.push({ id: spec.id, title: spec.title, file: name })
  }
  return written
}
