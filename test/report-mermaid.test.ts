import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { mermaidChart, mermaidPoints, resample } from '../src/report/mermaid-chart.js'
import { renderReports } from '../src/report/write-reports.js'
import { readRunDir } from '../src/rundir/read-run-dir.js'
import { writeSyntheticRunDir } from './fixtures/report/synthetic-run.js'

const dir = mkdtempSync(join(tmpdir(), 'cutover-mermaid-'))
afterAll(() => { rmSync(dir, { recursive: true, force: true }) })

/** The parts of an xychart-beta block, checked line by line as Mermaid's grammar has them. */
function parseXyChart (block: string): { title: string, ticks: number[], yRange: [number, number], lines: number[][] } {
  const rows = block.split('\n')
  expect(rows[0]).toBe('```mermaid')
  expect(rows.at(-1)).toBe('```')
  expect(rows[1]).toMatch(/^%%\{init: \{"themeVariables": \{"xyChart": \{"plotColorPalette": "(#[0-9a-f]{6}(, )?)+"\}\}\}\}%%$/)
  expect(rows[2]).toBe('xychart-beta')
  const title = /^ {2}title "([^"`]*)"$/.exec(rows[3] ?? '')?.[1]
  const xAxis = /^ {2}x-axis "[^"]*" \[(.*)\]$/.exec(rows[4] ?? '')?.[1]
  const yAxis = /^ {2}y-axis "[^"]*" (-?[\d.]+) --> (-?[\d.]+)$/.exec(rows[5] ?? '')
  if (title === undefined || xAxis === undefined || yAxis === null) throw new Error(`not an xychart: ${block}`)
  const lines = rows.slice(6, -1).map((row) => {
    const values = /^ {2}line \[(.*)\]$/.exec(row)?.[1]
    if (values === undefined) throw new Error(`not a line: ${row}`)
    return values.split(', ').map(Number)
  })
  return { title, ticks: xAxis.split(', ').map(Number), yRange: [Number(yAxis[1]), Number(yAxis[2])], lines }
}

describe('charts as Mermaid xychart blocks in summary.md', () => {
  it('resamples a line to even stretches: the mean of each, a stretch with no point keeps the value before it', () => {
    expect(resample([0, 1, 1, 3, 2, null, 3, 5], 0, 4, 2)).toEqual([2, 5])
    expect(resample([0, 1, 3, null], 0, 4, 4)).toEqual([1, 1, 1, 1])
    expect(resample([0.5, 10, 3.5, 20], 0, 4, 4)).toEqual([10, 10, 10, 20])
    expect(resample([0, null], 0, 4, 4)).toBeUndefined()
  })

  it('draws one line per target, named by colour in the title, within its y range', () => {
    const block = mermaidChart({
      id: 'latency', title: 'Latency (ms)', xLabel: 'seconds since start', yLabel: 'ms', bands: [], markers: [], yMin: 0,
      lines: [
        { label: 'old p99', color: '#5b7a99', points: [0, 10, 1, 12, 2, 11] },
        { label: 'old p50', color: '#5b7a99', points: [0, 2, 1, 2, 2, 2] },
        { label: 'new p99', color: '#e8710a', points: [0, 20, 1, 22, 2, null] }
      ]
    }) as string
    const chart = parseXyChart(block)
    expect(chart.title).toBe('Latency (ms) (old p99 grey-blue, new p99 orange)')
    expect(chart.ticks).toHaveLength(3)
    expect(chart.lines).toEqual([[10, 12, 11], [20, 22, 22]])
    expect(chart.yRange[0]).toBe(0)
    expect(chart.yRange[1]).toBeGreaterThanOrEqual(22)
  })

  it('summary.md of a run carries small, well-formed blocks for its charts, and still links the PNGs', async () => {
    const runDir = join(dir, 'run')
    writeSyntheticRunDir(runDir, { seconds: 600, analyses: true })
    const outcome = await renderReports(readRunDir(runDir))
    expect(outcome.failures).toEqual([])
    const markdown = readFileSync(join(runDir, 'summary.md'), 'utf8')
    const blocks = [...markdown.matchAll(/```mermaid\n[\s\S]*?\n```/g)].map((match) => match[0])
    expect(blocks.length).toBeGreaterThanOrEqual(3)
    for (const block of blocks) {
      expect(block.length).toBeLessThan(2000)
      const chart = parseXyChart(block)
      expect(chart.ticks.length).toBeLessThanOrEqual(mermaidPoints)
      expect(chart.yRange[0]).toBeLessThan(chart.yRange[1])
      for (const line of chart.lines) {
        expect(line).toHaveLength(chart.ticks.length)
        for (const value of line) {
          expect(Number.isFinite(value)).toBe(true)
          expect(value).toBeGreaterThanOrEqual(chart.yRange[0])
          expect(value).toBeLessThanOrEqual(chart.yRange[1])
        }
      }
    }
    expect(markdown).toContain('](charts/')
  })
})
