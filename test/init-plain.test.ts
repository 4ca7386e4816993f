import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './support/cli.js'
import { readWritten, schemaOfLineOne } from './support/init-files.js'

const schemaFile = fileURLToPath(new URL('../schema/scenario.schema.json', import.meta.url))

let root: string
beforeAll(() => { root = mkdtempSync(join(tmpdir(), 'cutover-init-plain-')) })
afterAll(() => { rmSync(root, { recursive: true, force: true }) })

/** A new empty folder under the test's temporary folder. */
function emptyDir (name: string): string {
  const dir = join(root, name)
  mkdirSync(dir)
  return dir
}

describe('plain cutover init', () => {
  it('asks nothing and writes cutover.yaml for two placeholder URLs, which cutover validate passes', async () => {
    const dir = emptyDir('first')
    const run = await runCli(['init'], { cwd: dir })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toBe([
      'wrote cutover.yaml: 2 request(s) in the load mix (1 marked for the shadow run), 1 of them changing data; phases warmup, steady, flood',
      'change the placeholder target URL(s) in cutover.yaml: old http://127.0.0.1:8080 (--old), new http://127.0.0.1:8081 (--new)',
      'ok: cutover validate cutover.yaml passes',
      ''
    ].join('\n'))
    const file = join(dir, 'cutover.yaml')
    expect(schemaOfLineOne(file)).toBe(schemaFile)
    const written = readWritten(file)
    expect(written.requests.map((request) => [request.name, request.method ?? 'GET', request.path])).toEqual([['home', 'GET', '/'], ['create-item', 'POST', '/items']])
    expect(written.shadow).toEqual(['home'])
    expect(written.commentedOut).toEqual([])
    expect(written.phases.map((phase) => phase.name)).toEqual(['warmup', 'steady', 'flood'])
    expect(written.text).toContain('url: http://127.0.0.1:8080')
    expect(written.text).toContain('url: http://127.0.0.1:8081')
    expect(written.text).toContain('# CHANGE THESE')
    const validated = await runCli(['validate', 'cutover.yaml'], { cwd: dir })
    expect(validated.stderr).toBe('')
    expect(validated.code).toBe(0)
  })

  it('refuses to overwrite the file on a second run (exit 2, file unchanged) unless --force', async () => {
    const dir = emptyDir('again')
    expect((await runCli(['init'], { cwd: dir })).code).toBe(0)
    const file = join(dir, 'cutover.yaml')
    writeFileSync(file, `${readFileSync(file, 'utf8')}# my own edit\n`)
    const refused = await runCli(['init'], { cwd: dir })
    expect(refused.code).toBe(2)
    expect(refused.stderr).toBe('error: cutover.yaml already exists; cutover init does not overwrite\nhint: pass --force to overwrite, or -o to write another file\n')
    expect(readFileSync(file, 'utf8')).toContain('# my own edit')
    const forced = await runCli(['init', '--force'], { cwd: dir })
    expect(forced.code).toBe(0)
    expect(readFileSync(file, 'utf8')).not.toContain('# my own edit')
  })

  it('writes the URLs given, and a file named with -o in a folder it creates', async () => {
    const dir = emptyDir('named')
    const run = await runCli(['init', '--old', 'http://10.0.0.1:3001', '--new', 'https://new.example.com', '-o', 'perf/checkout.yaml'], { cwd: dir })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).not.toContain('placeholder')
    const file = join(dir, 'perf', 'checkout.yaml')
    expect(schemaOfLineOne(file)).toBe(schemaFile)
    const text = readFileSync(file, 'utf8')
    expect(text).toContain('url: http://10.0.0.1:3001')
    expect(text).toContain('url: https://new.example.com')
    expect(text).not.toContain('CHANGE THESE')
    expect((await runCli(['validate', file])).code).toBe(0)
  })

  it('refuses wrong flags with exit 2 and writes nothing', async () => {
    const dir = emptyDir('wrong')
    const both = await runCli(['init', '--openapi', 'a.yaml', '--har', 'b.har'], { cwd: dir })
    expect(both.code).toBe(2)
    expect(both.stderr).toContain('--openapi and --har cannot be used together')
    const url = await runCli(['init', '--old', 'not a url'], { cwd: dir })
    expect(url.code).toBe(2)
    expect(url.stderr).toContain('--old expects a base URL')
    const json = await runCli(['init', '-o', 'scenario.json'], { cwd: dir })
    expect(json.code).toBe(2)
    expect(json.stderr).toContain('name the file .yaml or .yml')
    const har = await runCli(['init', '--har', 'missing.har'], { cwd: dir })
    expect(har.code).toBe(2)
    expect(har.stderr).toContain('--har missing.har: no such file')
    expect(existsSync(join(dir, 'cutover.yaml'))).toBe(false)
  })
})
