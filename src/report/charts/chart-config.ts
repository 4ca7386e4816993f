/** Turns a ChartSpec into a chart.js configuration made of JSON only, shared by the HTML page and the PNG renderer. */
import type { ChartSpec } from './chart-spec.js'

/** A chart.js dataset as JSON; `data` is filled from the spec's flat points where the chart is drawn. */
export interface DatasetJson {
  label: string
  data: Array<{ x: number, y: number | null }>
  borderColor: string
  backgroundColor: string
  borderWidth: number
  borderDash: number[]
  pointRadius: number
  pointHoverRadius: number
  spanGaps: number | boolean
  tension: number
  fill: boolean
  /** Read by the legend filter the page and the PNG renderer add. */
  hideInLegend: boolean
  order: number
}

/** A chart.js line chart configuration without functions: safe to embed as JSON. */
export interface ChartJson {
  type: 'line'
  data: { datasets: DatasetJson[] }
  options: Record<string, unknown> & { plugins: Record<string, unknown> }
}

/** Phase bands and markers, read by the `cutoverBands` plugin. */
export interface BandsPluginOptions {
  bands: ChartSpec['bands']
  markers: ChartSpec['markers']
}

const gridColor = '#edf0f4'
const tickColor = '#57606a'

/** The chart.js configuration of a spec; `forImage` adds a title and leaves out interaction. */
export function chartConfig (spec: ChartSpec, forImage: boolean): ChartJson {
  const bands: BandsPluginOptions = { bands: spec.bands, markers: spec.markers }
  return {
    type: 'line',
    data: {
      datasets: spec.lines.map((line) => ({
        label: line.label,
        data: [],
        borderColor: line.color,
        backgroundColor: line.color,
        borderWidth: line.width ?? 1.5,
        borderDash: line.dash ?? [],
        pointRadius: line.pointRadius ?? 0,
        pointHoverRadius: forImage ? 0 : 3,
        spanGaps: line.spanGaps ?? false,
        tension: 0,
        fill: false,
        hideInLegend: line.hideInLegend === true,
        order: line.order ?? 0
      }))
    },
    options: {
      animation: false,
      parsing: false,
      normalized: true,
      responsive: !forImage,
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      layout: { padding: { top: 4, right: 12, bottom: 0, left: 4 } },
      scales: {
        x: {
          type: 'linear',
          ...(spec.xMin === undefined ? {} : { min: spec.xMin }),
          ...(spec.xMax === undefined ? {} : { max: spec.xMax }),
          title: { display: true, text: spec.xLabel, color: tickColor },
          grid: { color: gridColor },
          ticks: { color: tickColor, maxTicksLimit: 12 }
        },
        y: {
          type: 'linear',
          ...(spec.yMin === undefined ? {} : { min: spec.yMin }),
          beginAtZero: spec.yMin === 0,
          title: { display: true, text: spec.yLabel, color: tickColor },
          grid: { color: gridColor },
          ticks: { color: tickColor, maxTicksLimit: 8 }
        }
      },
      plugins: {
        title: { display: forImage, text: spec.note === undefined ? spec.title : `${spec.title} — ${spec.note}`, align: 'start', color: '#1f2328', font: { size: 15, weight: 'bold' } },
        legend: { position: 'top', align: 'start', labels: { boxWidth: 18, boxHeight: 2, color: '#1f2328' } },
        tooltip: { enabled: !forImage },
        decimation: { enabled: false },
        cutoverBands: bands
      }
    }
  }
}

/** Expands flat [x0, y0, x1, y1, …] into chart.js points. */
export function pointsOf (flat: ReadonlyArray<number | null>): Array<{ x: number, y: number | null }> {
  const points: Array<{ x: number, y: number | null }> = []
  for (let i = 0; i + 1 < flat.length; i += 2) points.push({ x: flat[i] ?? 0, y: flat[i + 1] ?? null })
  return points
}
