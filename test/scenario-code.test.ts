// Scenarios as code (issue 17, item 4) and --set/--url (item 5), through the built CLI as a user runs them.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunResult } from '../src/core/result-types.js'
import { runCli } from './support/cli.js'
import { startServer, type TestServer } from './support/servers.js'

let dir: string
let server: TestServer
let other: TestServer

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cutover-code-scenario-'))
  server = await startServer((req, res) => { res.end(req.headers['x-signed'] === 'yes' ? 'signed' : 'plain') })
  other = await startServer((_req, res) => { res.end('other') })
})
afterAll(async () => {
  await Promise.all([server.close(), other.close()])
  rmSync(dir, { recursive: true, force: true })
})

const readResult = (runDir: string): RunResult => JSON.parse(readFileSync(join(runDir, 'result.json'), 'utf8')) as RunResult

describe('scenarios in code', () => {
  it('run a TypeScript module whose default export is the scenario, with inline hooks and a relative .ts import', async () => {
    writeFileSync(join(dir, 'paths.ts'), 'export const home: string = \'/home\'\n')
    writeFileSync(join(dir, 'checkout.ts'), [
      "import { home } from './paths.ts'",
      'interface Request { headers: Record<string, string> }',
      'export default {',
      "  name: 'checkout',",
      `  targets: { svc: { url: '${server.url}' } },`,
      "  requests: [{ name: 'home', path: home, expect: { bodyContains: 'signed' } }],",
      "  phases: [{ name: 'steady', duration: '1s', rate: 30 }],",
      "  hooks: { beforeRequest (request: Request): void { request.headers['x-signed'] = 'yes' } }",
      '}',
      ''
    ].join('\n'))
    const before = server.received.length
    const run = await runCli(['run', join(dir, 'checkout.ts'), '--out', join(dir, 'run-ts'), '-q'])
    expect(run.code, run.stderr).toBe(0)
    const result = readResult(join(dir, 'run-ts'))
    expect(result.targets.svc?.requests).toMatchObject({ total: 30, ok: 30 })
    expect(server.received.slice(before).every((entry) => entry.path === '/home' && entry.headers['x-signed'] === 'yes')).toBe(true)
    // the run keeps the scenario as cutover validated it
    expect(JSON.parse(readFileSync(join(dir, 'run-ts', 'scenario.yaml'), 'utf8'))).toMatchObject({ name: 'checkout', phases: [{ rate: 30 }] })
  }, 60_000)

  it('run an ES module (.mjs) and a CommonJS module (.js)', async () => {
    const body = `{ name: 'plain', targets: { svc: { url: '${server.url}' } }, requests: [{ name: 'root', path: '/' }], phases: [{ name: 'steady', duration: '1s', rate: 10 }] }`
    writeFileSync(join(dir, 'esm.mjs'), `export default ${body}\n`)
    writeFileSync(join(dir, 'common.js'), `module.exports = ${body}\n`)
    for (const file of ['esm.mjs', 'common.js']) {
      const run = await runCli(['run', join(dir, file), '--out', join(dir, `run-${file}`), '-q', '--json'])
      expect(run.code, run.stderr).toBe(0)
      expect((JSON.parse(run.stdout) as RunResult).targets.svc?.requests.total).toBe(10)
    }
  }, 60_000)

  it('name the file and field of a problem in a scenario in code, and refuse a module that does not load', async () => {
    writeFileSync(join(dir, 'invalid.ts'), `export default { name: 'bad', targets: { svc: { url: '${server.url}' } }, requests: [{ name: 'r', path: '/' }], phases: [{ name: 'p', duration: '1s', rate: 5, connections: 2 }] }\n`)
    const invalid = await runCli(['validate', join(dir, 'invalid.ts'), '--json'])
    expect(invalid.code).toBe(2)
    const problems = (JSON.parse(invalid.stdout) as { scenarios: Array<{ problems: Array<{ file: string, field?: string, line?: number, message: string }> }> }).scenarios[0]?.problems ?? []
    expect(problems[0]).toMatchObject({ file: join(dir, 'invalid.ts'), field: 'phases[0]' })
    expect(problems[0]?.line).toBeUndefined()
    expect(problems[0]?.message).toMatch(/rate.*connections|connections.*rate/)

    writeFileSync(join(dir, 'broken.ts'), 'export default {\n')
    const broken = await runCli(['run', join(dir, 'broken.ts'), '--out', join(dir, 'run-broken')])
    expect(broken.code).toBe(2)
    expect(broken.stderr).toContain('broken.ts cannot be loaded')
    expect(broken.stderr).not.toMatch(/\n\s+at /)

    writeFileSync(join(dir, 'nothing.mjs'), 'export const value = 1\n')
    const nothing = await runCli(['validate', join(dir, 'nothing.mjs')])
    expect(nothing.code).toBe(2)
    expect(nothing.stderr).toContain('does not export a scenario')
  }, 60_000)
})

describe('--set and --url', () => {
  const yaml = (): string => [
    'name: overridden',
    'targets:',
    `  svc: { url: "${server.url}" }`,
    'requests: [{ name: root, path: / }]',
    'phases:',
    '  - { name: warm, duration: 1s, rate: 5 }',
    '  - { name: steady, duration: 1s, connections: 1 }',
    ''
  ].join('\n')

  it('change values for one run, by list entry name, and record them in result.json', async () => {
    const file = join(dir, 'overridden.yaml')
    writeFileSync(file, yaml())
    const before = other.received.length
    const run = await runCli(['run', file, '--out', join(dir, 'run-set'), '-q', '--url', `svc=${other.url}`,
      '--set', 'phases.steady.connections=null', '--set', 'phases.steady.rate=20', '--set', 'phases.0.rate=10'])
    expect(run.code, run.stderr).toBe(0)
    const result = readResult(join(dir, 'run-set'))
    expect(result.settings.overrides).toEqual([`phases.steady.connections=null`, 'phases.steady.rate=20', 'phases.0.rate=10', `targets.svc.url=${other.url}`])
    expect(result.targets.svc?.phases.map((phase) => [phase.name, phase.requests.total])).toEqual([['warm', 10], ['steady', 20]])
    expect(other.received.length - before).toBe(30)
  }, 60_000)

  it('take a list entry out with null, or replace it whole, by its name or index', async () => {
    const file = join(dir, 'overridden.yaml')
    writeFileSync(file, yaml())
    const removed = await runCli(['validate', file, '--set', 'phases.warm=null'])
    expect(removed.code, removed.stderr).toBe(0)
    expect(removed.stdout).toContain('1 phase(s)')
    const replaced = await runCli(['validate', file, '--set', 'phases.1={ name: flood, duration: 2s, connections: 4 }'])
    expect(replaced.code, replaced.stderr).toBe(0)
    expect(replaced.stdout).toContain('2 phase(s)')
  }, 60_000)

  it('refuse a path that leads nowhere, and a value the format refuses, saying which flag', async () => {
    const file = join(dir, 'overridden.yaml')
    writeFileSync(file, yaml())
    const unknown = await runCli(['validate', file, '--set', 'phases.stedy.rate=5'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('--set phases.stedy.rate=5: phases has no entry "stedy"; did you mean "steady"?')
    const wrong = await runCli(['validate', file, '--set', 'phases.warm.rate=fast'])
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toMatch(/phases\[0\]\.rate.*\(the value comes from --set phases\.warm\.rate=fast\)/)
  }, 60_000)
})
