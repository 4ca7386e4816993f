// The timeline side of the reports: a cut-short last line, downsampling, phase bands, escaping and number formats.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { downsampleMinMax, flattenPoints } from '../src/report/charts/downsample.js'
import { phaseSpans } from '../src/report/charts/phase-bands.js'
import { escapeHtml, inlineScriptSource, jsonForScript } from '../src/report/html/escape.js'
import { formatEffect, formatWithUnit } from '../src/report/html/format.js'
import { ciBar } from '../src/report/html/sections/comparison.js'
import { runDirHref } from '../src/report/html/sections/context.js'
import { escapeXmlAttribute, escapeXmlText } from '../src/report/junit.js'
import { escapeMarkdown } from '../src/report/markdown.js'
import { parseTimeline } from '../src/rundir/timeline-file.js'
import type { TimelineLine } from '../src/rundir/timeline-line.js'
import { writeReports } from '../src/report/write-reports.js'
import { syntheticRun, writeRunDir } from './fixtures/report/synthetic-run.js'

let dir: string
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'cutover-report-timeline-')) })
afterAll(() => { rmSync(dir, { recursive: true, force: true }) })

describe('a timeline cut short by a crash', () => {
  it('parseTimeline skips the truncated last line and blank lines, and counts what it skipped', () => {
    const text = '{"t":1,"target":"old","phase":"steady"}\n\n{"t":2,"target":"old","phase":"steady"}\n{"t":3,"target":"o'
    const { lines, skipped } = parseTimeline(text)
    expect(lines.map((line) => line.t)).toEqual([1, 2])
    expect(skipped).toBe(1)
  })

  it('writeReports still writes every report and says a line was left out', async () => {
    const runDir = join(dir, 'truncated')
    const { result, timeline } = syntheticRun({ seconds: 20, intervalMs: 500, analyses: true })
    const last = JSON.stringify(timeline.at(-1))
    writeRunDir(runDir, result, timeline.slice(0, -1), last.slice(0, Math.floor(last.length / 2)))
    const { files } = await writeReports(runDir)
    for (const name of ['report.html', 'summary.md', 'junit.xml', 'charts/throughput.png', 'charts/latency.png', 'charts/memory.png', 'charts/cpu.png', 'charts/leak-old.png', 'charts/leak-new.png']) {
      expect(files).toContain(join(runDir, name))
      expect(statSync(join(runDir, name)).size).toBeGreaterThan(0)
    }
    expect(readFileSync(join(runDir, 'report.html'), 'utf8')).toContain('1 timeline line could not be read')
  })

  it('writeReports works without timeline.ndjson or scenario.yaml, and fails clearly without result.json', async () => {
    const runDir = join(dir, 'no-timeline')
    const { result } = syntheticRun({ seconds: 5 })
    writeRunDir(runDir, result, [])
    rmSync(join(runDir, 'timeline.ndjson'))
    await writeReports(runDir)
    expect(existsSync(join(runDir, 'report.html'))).toBe(true)
    await expect(writeReports(join(dir, 'missing'))).rejects.toMatchObject({ code: 'RUN_DIR_INVALID' })
  })
})

describe('downsampleMinMax', () => {
  it('keeps a short series as it is', () => {
    expect(downsampleMinMax({ xs: [1, 2, 3], ys: [5, null, 7] }, 10)).toEqual({ xs: [1, 2, 3], ys: [5, null, 7] })
  })

  it('keeps the lowest and highest point of each bucket, in x order', () => {
    // 8 points into 4 points = 2 buckets of 4: [3,9,1,4] → min 1 (x=2), max 9 (x=1); [2,2,8,null] → min 2 (x=4), max 8 (x=6)
    expect(downsampleMinMax({ xs: [0, 1, 2, 3, 4, 5, 6, 7], ys: [3, 9, 1, 4, 2, 2, 8, null] }, 4)).toEqual({ xs: [1, 2, 4, 6], ys: [9, 1, 2, 8] })
  })

  it('keeps a bucket of gaps as one gap', () => {
    expect(downsampleMinMax({ xs: [0, 1, 2, 3, 4, 5], ys: [1, 2, null, null, 3, 3] }, 6)).toEqual({ xs: [0, 1, 2, 3, 4, 5], ys: [1, 2, null, null, 3, 3] })
    expect(downsampleMinMax({ xs: [0, 1, 2, 3, 4, 5, 6, 7, 8], ys: [1, 2, 3, null, null, null, 4, 4, 4] }, 6)).toEqual({ xs: [0, 2, 3, 6], ys: [1, 3, null, 4] })
  })

  it('cuts an hour of 1 s points to at most 1,500 and keeps a one-point spike', () => {
    const xs = Array.from({ length: 3600 }, (_, i) => i + 1)
    const ys = xs.map((x) => (x === 1234 ? 500 : 2 + Math.sin(x / 50)))
    const out = downsampleMinMax({ xs, ys })
    expect(out.xs.length).toBeLessThanOrEqual(1500)
    expect(out.xs.length).toBeGreaterThan(1400)
    expect(Math.max(...out.ys.map((y) => y ?? 0))).toBe(500)
    expect(out.xs).toContain(1234)
  })

  it('flattens to [x, y, …] with 4 significant digits', () => {
    expect(flattenPoints({ xs: [1.23456, 2], ys: [123.456789, null] })).toEqual([1.235, 123.5, 2, null])
  })
})

describe('phaseSpans', () => {
  const line = (t: number, target: string, phase: string): TimelineLine => ({ t, target, phase, intervalMs: 1000 } as unknown as TimelineLine)

  it('joins interleaved slices of one phase into one band and carries idle instants', () => {
    const lines = [
      line(1, 'old', 'warmup'), line(1, 'new', 'idle'),
      line(2, 'old', 'idle'), line(2, 'new', 'warmup'),
      line(3, 'old', 'steady'), line(3, 'new', 'idle'),
      line(4, 'old', 'idle'), line(4, 'new', 'idle'),
      line(5, 'old', 'idle'), line(5, 'new', 'steady')
    ]
    expect(phaseSpans(lines)).toEqual([
      { phase: 'warmup', fromSec: 0, toSec: 2 },
      { phase: 'steady', fromSec: 2, toSec: 5 }
    ])
  })

  it('gives a sequential run one band per phase of each target, in time order', () => {
    const lines = [line(1, 'old', 'a'), line(2, 'old', 'b'), line(3, 'new', 'a'), line(4, 'new', 'b')]
    expect(phaseSpans(lines).map((span) => [span.phase, span.fromSec, span.toSec])).toEqual([['a', 0, 1], ['b', 1, 2], ['a', 2, 3], ['b', 3, 4]])
  })
})

describe('escaping', () => {
  it('jsonForScript escapes what could end a script element or break a JS string', () => {
    const json = jsonForScript({ body: '</script><!--&\u2028\u2029>' })
    expect(json).toBe('{"body":"\\u003c/script\\u003e\\u003c!--\\u0026\\u2028\\u2029\\u003e"}')
    expect(JSON.parse(json)).toEqual({ body: '</script><!--&\u2028\u2029>' })
  })

  it('escapeHtml escapes the five characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;')
  })

  it('inlineScriptSource neutralises </script and <!-- and drops the source map comment', () => {
    expect(inlineScriptSource('a("</script>");b("<!--")\n//# sourceMappingURL=chart.umd.js.map')).toBe('a("<\\/script>");b("<\\!--")\n')
  })

  it('escapeMarkdown escapes HTML, Markdown punctuation, line breaks and mentions', () => {
    expect(escapeMarkdown('<b>*x*</b> | [l](javascript:y) @team\nnext')).toBe('&lt;b&gt;\\*x\\*&lt;/b&gt; \\| \\[l\\](javascript:y) @\u200bteam next')
  })

  it('escapeXml keeps XML well-formed whatever the text', () => {
    expect(escapeXmlText('a<b>&c\u0000\uD800')).toBe('a&lt;b&gt;&amp;c\uFFFD\uFFFD')
    expect(escapeXmlAttribute('"x"\n\'y\'')).toBe('&quot;x&quot;&#10;&apos;y&apos;')
  })
})

describe('numbers with units', () => {
  it('formats check values by their unit', () => {
    expect(formatWithUnit(3.456, 'ms')).toBe('3.5 ms')
    expect(formatWithUnit(0.0123, 'fraction')).toBe('1.23%')
    expect(formatWithUnit(1.129, 'ratio')).toBe('+12.9%')
    expect(formatWithUnit(0.95, 'ratio')).toBe('−5.0%')
    expect(formatWithUnit(0.001, 'pp')).toBe('+0.100pp')
    expect(formatWithUnit(2e6 / 60, 'bytes/s')).toBe('2.00 MB/min')
    expect(formatWithUnit(93_000_000, 'bytes')).toBe('93.0 MB')
    expect(formatWithUnit(299.94, 'req/s')).toBe('299.9 req/s')
    expect(formatWithUnit(300, 'req/s')).toBe('300 req/s')
    expect(formatEffect('difference', 0)).toBe('±0.000pp')
  })

  it('places a ratio interval on a log scale clamped to 1/10…10×', () => {
    const metric = { name: 'p99', unit: 'ms', old: 2, new: 2.2, ratio: 1.1, ci: [1, 1.21] as [number, number], method: '', verdict: 'inconclusive' as const, message: '' }
    const bar = ciBar(metric, 'ratio', 1.1)
    // log axis from log(1) − pad to log(1.21) + pad, pad = 10% of the span: positions 1/12, 11/12 and the middle
    expect(bar).toMatchObject({ neutralPct: 8.3, lowPct: 8.3, highPct: 91.7, estimatePct: 50, limitPct: 50, tone: 'inconclusive', label: '95% CI ±0.0% to +21.0%, tolerance +10.0%' })
    const wide = ciBar({ ...metric, ci: [0.1, 1e8] }, 'ratio', 1.1)
    expect(wide?.highPct).toBe(91.7)
  })
})

describe('links into the run directory', () => {
  it('encodes each segment and refuses absolute paths, parent folders and schemes', () => {
    expect(runDirHref('logs/old.log')).toBe('logs/old.log')
    expect(runDirHref('profile/doctor report#1.html')).toBe('profile/doctor%20report%231.html')
    expect(runDirHref('javascript:alert(1)')).toBe('javascript%3Aalert(1)')
    expect(runDirHref('/tmp/clinic.html')).toBeUndefined()
    expect(runDirHref('C:\\clinic.html')).toBeUndefined()
    expect(runDirHref('../outside.html')).toBeUndefined()
  })
})
