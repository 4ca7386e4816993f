/** Plain-text tables and number formats for the leak benchmark's report. */

/** A table: the first column left-aligned, the others right-aligned. */
export function table (header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)))
  const line = (cells: readonly string[]): string =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ').trimEnd()
  const rule = widths.map((w) => '-'.repeat(w)).join('  ')
  return [line(header), rule, ...rows.map(line)].map((text) => `  ${text}`).join('\n')
}

/** A section heading with an optional note under it. */
export function heading (title: string, note?: string): string {
  return `\n${title}\n${'='.repeat(title.length)}${note === undefined ? '' : `\n${note}`}`
}

/** 0.953 → "95.3%". */
export function pct (value: number, digits = 1): string {
  return Number.isFinite(value) ? `${(value * 100).toFixed(digits)}%` : '—'
}

/** [0.91, 0.98] → "[91.0–98.0]" (percent). */
export function ciText (interval: readonly [number, number], digits = 1): string {
  return `[${(interval[0] * 100).toFixed(digits)}–${(interval[1] * 100).toFixed(digits)}]`
}

/** A proportion with its interval: "95.3% [91.0–98.0]". */
export function pctCi (value: number, interval: readonly [number, number]): string {
  return Number.isFinite(value) ? `${pct(value)} ${ciText(interval)}` : '—'
}

/** Bytes per second → "2.00 MB/min". */
export function mbPerMin (bytesPerSec: number, digits = 2): string {
  return Number.isFinite(bytesPerSec) ? `${((bytesPerSec * 60) / 1e6).toFixed(digits)} MB/min` : '—'
}

/** A rate in MB/min without trailing zeros: 0.25, 2, 16. */
export function rateLabel (mbMin: number): string {
  return `${Number(mbMin.toPrecision(3))}`
}

/** "MET " or "MISS". */
export function metText (met: boolean): string {
  return met ? 'MET ' : 'MISS'
}
