// Reporters are registered and fail on their own: one broken output never takes the others with it.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Reporter } from '../src/report/reporter.js'
import { reporters } from '../src/report/reporters.js'
import { renderReports } from '../src/report/write-reports.js'
import { readRunDir } from '../src/rundir/read-run-dir.js'
import { writeSyntheticRunDir } from './fixtures/report/synthetic-run.js'
import { runCli } from './support/cli.js'

const dir = mkdtempSync(join(tmpdir(), 'cutover-reporters-'))
afterAll(() => { rmSync(dir, { recursive: true, force: true }) })

const broken = (name: string): Reporter => ({ name, writes: `${name} output`, write: () => { throw new Error(`${name} cannot draw here`) } })

describe('reporters', () => {
  it('are registered once each: PNG charts first, so the page and summary.md can link them', () => {
    expect(reporters.map((reporter) => reporter.name)).toEqual(['png', 'html', 'markdown', 'junit'])
    expect(new Set(reporters.map((reporter) => reporter.writes)).size).toBe(reporters.length)
  })

  it('a reporter that throws is listed; the others still write, and summary.md links no chart that was not drawn', async () => {
    const runDir = join(dir, 'png-broken')
    writeSyntheticRunDir(runDir, { seconds: 60 })
    const withBrokenCharts = reporters.map((reporter) => reporter.name === 'png' ? broken('png') : reporter)
    const outcome = await renderReports(readRunDir(runDir), withBrokenCharts)
    expect(outcome.failures).toEqual([{ reporter: 'png', writes: 'png output', message: 'png cannot draw here' }])
    expect(outcome.files.map((file) => file.slice(runDir.length + 1)).sort()).toEqual(['junit.xml', 'report.html', 'summary.md'])
    expect(existsSync(join(runDir, 'charts'))).toBe(false)
    expect(readFileSync(join(runDir, 'summary.md'), 'utf8')).not.toContain('](charts/')
    // the outputs after it say which charts are missing, and result.json records it
    expect(readFileSync(join(runDir, 'summary.md'), 'utf8')).toContain('png output could not be written: png cannot draw here')
    expect(readFileSync(join(runDir, 'report.html'), 'utf8')).toContain('png output could not be written: png cannot draw here')
    expect(readRunDir(runDir).result.reportWarnings).toEqual([{ writes: 'png output', message: 'png cannot draw here' }])
    // written again in full, the warning goes
    await renderReports(readRunDir(runDir))
    expect(readRunDir(runDir).result.reportWarnings).toBeUndefined()
  })

  it('cutover report exits 70 when charts cannot be written, after writing everything else', async () => {
    const runDir = join(dir, 'charts-blocked')
    writeSyntheticRunDir(runDir, { seconds: 60 })
    // a file where the charts folder goes: mkdir fails, as on a full or read-only disk
    writeFileSync(join(runDir, 'charts'), 'not a folder')
    const run = await runCli(['report', runDir])
    expect(run.code).toBe(70)
    expect(run.stderr).toContain('could not write charts/*.png')
    expect(run.stderr).not.toMatch(/\n\s+at /)
    for (const file of ['report.html', 'summary.md', 'junit.xml']) expect(existsSync(join(runDir, file)), file).toBe(true)
    expect(readRunDir(runDir).result.reportWarnings?.[0]?.writes).toBe('charts/*.png')
  })

  it('--help names every exit code', async () => {
    const help = await runCli(['--help'])
    for (const code of ['0', '1', '2', '3', '70', '130']) expect(help.stdout).toMatch(new RegExp(`^\\s+${code}\\s+\\S`, 'm'))
  })

  it('every registered reporter writes its files from the same input', async () => {
    const runDir = join(dir, 'all')
    writeSyntheticRunDir(runDir, { seconds: 60, analyses: true })
    const outcome = await renderReports(readRunDir(runDir))
    expect(outcome.failures).toEqual([])
    const written = outcome.files.map((file) => file.slice(runDir.length + 1))
    expect(written).toEqual(expect.arrayContaining(['report.html', 'summary.md', 'junit.xml']))
    expect(written.filter((file) => file.startsWith('charts/') && file.endsWith('.png')).length).toBeGreaterThan(0)
    expect(readFileSync(join(runDir, 'summary.md'), 'utf8')).toContain('](charts/')
  })
})
