import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))
const git = (...args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8' })
const ignored = (path: string): boolean => {
  try {
    git('check-ignore', '-q', '--no-index', path)
    return true
  } catch {
    return false
  }
}

// issue 19, item 4: the repository a user clones shows the whole loop, baselines included
describe('the repository\'s top level', () => {
  it('has baselines/ (committed) and reports/ (ignored by git except its README), each saying what lands there', () => {
    expect(readFileSync(`${root}/baselines/README.md`, 'utf8')).toContain('cutover baseline save')
    expect(readFileSync(`${root}/reports/README.md`, 'utf8')).toContain('cutover history reports')
    expect(ignored('reports/demo-20261207T100000Z/report.html')).toBe(true)
    expect(ignored('reports/README.md')).toBe(false)
    expect(ignored('baselines/demo.json')).toBe(false)
    expect(git('ls-files', 'baselines/README.md', 'reports/README.md').trim().split('\n').sort()).toEqual(['baselines/README.md', 'reports/README.md'])
  })

  it('the demo scenario compares with baselines/demo.json at the top and draws the history of its runs', () => {
    const demo = readFileSync(`${root}/scenarios/demo/demo.yaml`, 'utf8')
    expect(demo).toMatch(/baseline: \{ file: \.\.\/\.\.\/baselines\/demo\.json, [^}]*history: 20 \}/)
    expect(existsSync(`${root}/baselines`)).toBe(true)
  })
})
