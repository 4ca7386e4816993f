import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createRunDir, runFiles } from '../src/rundir/create-run-dir.js'

const root = mkdtempSync(join(tmpdir(), 'cutover-run-dir-'))
afterAll(() => { rmSync(root, { recursive: true, force: true }) })

describe('the run directory', () => {
  it('is reports/<scenario>-<UTC timestamp>, with -2, -3 for runs started in the same second', () => {
    const at = new Date('2026-11-27T09:53:01.250Z')
    const reports = join(root, 'reports')
    expect(createRunDir('shop', undefined, at, reports)).toBe(join(reports, 'shop-20261127T095301Z'))
    expect(createRunDir('shop', undefined, at, reports)).toBe(join(reports, 'shop-20261127T095301Z-2'))
    expect(createRunDir('shop', undefined, at, reports)).toBe(join(reports, 'shop-20261127T095301Z-3'))
    expect(existsSync(join(reports, 'shop-20261127T095301Z-3', 'logs'))).toBe(true)
  })

  it('--out of an earlier run: that run\'s files go, the user\'s own files stay', () => {
    const out = join(root, 'out')
    mkdirSync(join(out, 'charts'), { recursive: true })
    for (const name of runFiles.filter((name) => !['charts', 'logs', 'clinic'].includes(name))) writeFileSync(join(out, name), 'old run')
    writeFileSync(join(out, 'charts', 'latency.png'), 'old')
    writeFileSync(join(out, 'notes.txt'), 'mine')
    expect(createRunDir('shop', out, new Date(), join(root, 'reports'))).toBe(out)
    expect(readdirSync(out).sort()).toEqual(['logs', 'notes.txt'])
  })
})
