/** What a chart shows, independent of where it is drawn (the HTML page or a PNG). */

/** One line of a chart. */
export interface LineSpec {
  label: string
  color: string
  /** Flat [x0, y0, x1, y1, …], already downsampled; a null y leaves a gap. */
  points: Array<number | null>
  /** Dash pattern in pixels; solid when absent. */
  dash?: number[]
  width?: number
  /** Dots at the points (sparse series such as a capacity curve). */
  pointRadius?: number
  /** Join across gaps up to this long (x units), e.g. another target's interleaved slice. */
  spanGaps?: number | boolean
  /** Left out of the legend (a trend's confidence lines). */
  hideInLegend?: boolean
  /** Drawing order: lower is drawn later, on top (chart.js `order`); 0 by default. */
  order?: number
}

/** A shaded stretch of the x axis: a load phase. */
export interface BandSpec {
  from: number
  to: number
  label: string
  color: string
}

/** A vertical line at one x: an event, a capacity limit. */
export interface MarkerSpec {
  x: number
  label: string
  color: string
}

/** A chart: titles and units, lines, phase bands and markers. */
export interface ChartSpec {
  /** Stable id; also the PNG file name (`charts/<id>.png`) when `png` is set. */
  id: string
  title: string
  xLabel: string
  yLabel: string
  lines: LineSpec[]
  bands: BandSpec[]
  markers: MarkerSpec[]
  xMin?: number
  xMax?: number
  /** Lowest y shown; 0 for counts and rates. */
  yMin?: number
  /** Written to charts/<id>.png as well. */
  png?: boolean
  /** Shown under the title, e.g. "no errors". */
  note?: string
}

/** How the time axis is scaled and labelled. */
export interface TimeAxis {
  /** Seconds per x unit: 1 for seconds, 60 for minutes. */
  divisor: number
  label: string
}

/** Seconds on the x axis for short runs, minutes for runs over ten minutes. */
export function timeAxisFor (durationSec: number): TimeAxis {
  return durationSec > 600 ? { divisor: 60, label: 'minutes since start' } : { divisor: 1, label: 'seconds since start' }
}
