// The published package on a fresh machine: pack cutover, install the tarball into an empty project from the npm
// registry alone, and run the installed CLI with reports. It needs the registry; offline it fails, it never skips.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startChildServer, type ChildServer } from './support/child-server.js'
import { packProject, runCommand, type CommandRun } from './support/packed-install.js'

/** A package-lock.json v3 entry, as far as this test reads it. */
interface LockEntry {
  version?: string
  resolved?: string
  hasInstallScript?: boolean
}

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

let dir: string
let project: string
let install: CommandRun
let registry: string
let servers: ChildServer[] = []
const repoRoot = fileURLToPath(new URL('..', import.meta.url))

/** The package name of a lockfile key such as `node_modules/a/node_modules/@scope/b`. */
function packageName (key: string): string {
  return key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length)
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cutover-package-install-'))
  const tarball = await packProject(dir)
  project = join(dir, 'fresh-project')
  mkdirSync(project)
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'fresh-project', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`)
  registry = (await runCommand('npm', ['config', 'get', 'registry'], { cwd: project, timeoutMs: 30_000 })).output.trim()
  // --foreground-scripts: any install script's output (a node-gyp build, a binary download) lands in `install.output`
  install = await runCommand('npm', ['install', '--save-dev', '--no-audit', '--no-fund', '--foreground-scripts', tarball], { cwd: project, timeoutMs: 240_000 })
}, 420_000)

afterAll(async () => {
  await Promise.all(servers.map(async (server) => { await server.stop() }))
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
})

describe('cutover packed and installed into an empty project', () => {
  it('installs from the registry alone, with nothing to compile', () => {
    expect(install.code, install.output).toBe(0)
    expect(install.output).not.toMatch(/gyp|prebuild-install|node-pre-gyp/i)
    const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> }
    const installed = Object.entries(lock.packages).filter(([key]) => key !== '')
    expect(installed.map(([key]) => packageName(key))).toContain('cutover')
    // the real `canvas` (node-canvas) builds against cairo or downloads its binary from GitHub; @napi-rs/canvas
    // ships one npm package per platform
    const canvases = installed.map(([key]) => packageName(key)).filter((name) => /canvas/i.test(name))
    expect(canvases).toContain('@napi-rs/canvas')
    expect(canvases.filter((name) => !/^@napi-rs\/canvas(-[a-z0-9-]+)?$/.test(name))).toEqual([])
    expect(existsSync(join(project, 'node_modules', 'canvas'))).toBe(false)
    // an install script is how a package compiles or fetches from outside the registry: none may have one
    expect(installed.filter(([, entry]) => entry.hasInstallScript === true).map(([key]) => key)).toEqual([])
    // every package came from the registry (npm may leave `resolved` out of the lock for registry packages)
    const elsewhere = installed.filter(([key, entry]) => key !== 'node_modules/cutover' && entry.resolved !== undefined && !entry.resolved.startsWith(registry))
    expect(elsewhere.map(([key, entry]) => `${key} ${entry.resolved ?? ''}`)).toEqual([])
  })

  it('runs a scenario with the installed CLI and writes every report, PNG charts included', async () => {
    expect(install.code, 'the install failed; see the test above').toBe(0)
    servers = await Promise.all([startChildServer('sleep-server.mjs', { DELAY_MS: '2' }), startChildServer('sleep-server.mjs', { DELAY_MS: '2' })])
    const [old, next] = servers
    writeFileSync(join(project, 'scenario.yaml'), [
      'name: fresh-install',
      'targets:',
      `  old: { url: "${old?.url ?? ''}" }`,
      `  new: { url: "${next?.url ?? ''}" }`,
      'requests: [{ name: root, path: / }]',
      'phases:',
      '  - { name: steady, duration: 1s, rate: 40 }',
      ''
    ].join('\n'))
    const bin = join(project, 'node_modules', '.bin', 'cutover')
    // the bin link's own `#!/usr/bin/env node`, finding the node that runs this test
    const env = { ...process.env, CI: 'true', PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` }
    const run = await runCommand(bin, ['run', 'scenario.yaml', '--out', 'run'], { cwd: project, env, timeoutMs: 60_000 })
    // 0 or 1: the verdict of a 2-second run on a busy machine is not what this test judges; the reports are
    expect([0, 1], run.output).toContain(run.code)
    expect(run.output).not.toMatch(/could not write|internal error|Cannot find module/i)
    const runDir = join(project, 'run')
    for (const file of ['report.html', 'summary.md', 'junit.xml', 'result.json']) {
      expect(existsSync(join(runDir, file)) && statSync(join(runDir, file)).size > 0, file).toBe(true)
    }
    const pngs = readdirSync(join(runDir, 'charts')).filter((name) => name.endsWith('.png'))
    expect(pngs).toEqual(expect.arrayContaining(['throughput.png', 'latency.png', 'errors.png']))
    for (const name of pngs) {
      const bytes = readFileSync(join(runDir, 'charts', name))
      expect([...bytes.subarray(0, 8)], name).toEqual(pngSignature)
      expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)], `${name}: width and height`).toEqual([1800, 720])
    }
  })

  it('is a typed API: a TypeScript consumer type-checks against the published .d.ts, and run() returns result.json', async () => {
    expect(install.code, 'the install failed; see the test above').toBe(0)
    const [old, next] = servers.length === 2 ? servers : await Promise.all([startChildServer('sleep-server.mjs', { DELAY_MS: '2' }), startChildServer('sleep-server.mjs', { DELAY_MS: '2' })])
    if (servers.length !== 2) servers = [old as ChildServer, next as ChildServer]
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'], typeRoots: [join(repoRoot, 'node_modules', '@types')] }, files: ['check.mts', 'scenario.ts'] }))
    writeFileSync(join(project, 'check.mts'), [
      "import { defineScenario, run, compareRuns, loadScenario, type RunResult } from 'cutover'",
      "const scenario = defineScenario({ name: 'typed', targets: { svc: { url: 'http://127.0.0.1:1' } }, requests: [{ name: 'root', path: '/' }], phases: [{ name: 'steady', duration: '1s', rate: 10 }] })",
      'const result: Promise<RunResult> = run(scenario, { out: "typed", seed: 1 })',
      "const verdict: 'pass' | 'fail' | 'inconclusive' = (await result).verdict",
      '// @ts-expect-error a misspelt key is a type error, as it is a validation error in a file',
      "defineScenario({ name: 'bad', targets: {}, phases: [{ name: 'p', duration: '1s', rate: 1 }], reqests: [] })",
      'export { verdict, compareRuns, loadScenario }',
      ''
    ].join('\n'))
    // a scenario in code, typed by the package: its hooks too
    writeFileSync(join(project, 'scenario.ts'), [
      "import { defineScenario, type HookRequest, type HookContext } from 'cutover'",
      'export default defineScenario({',
      "  name: 'from-code',",
      `  targets: { old: { url: '${old?.url ?? ''}' } },`,
      "  requests: [{ name: 'root', path: '/', afterResponse: 'checkStatus' }],",
      "  phases: [{ name: 'steady', duration: '1s', rate: 20 }],",
      '  hooks: {',
      "    beforeRequest (request: HookRequest, context: HookContext): void { request.headers['x-target'] = context.target },",
      "    checkStatus: (response: { status: number }) => response.status === 200 ? undefined : 'not 200'",
      '  }',
      '})',
      ''
    ].join('\n'))
    const tsc = await runCommand(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: project, timeoutMs: 120_000 })
    expect(tsc.code, tsc.output).toBe(0)
    const bin = join(project, 'node_modules', '.bin', 'cutover')
    const env = { ...process.env, CI: 'true', PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` }
    const fromCode = await runCommand(bin, ['run', 'scenario.ts', '--out', 'from-code', '-q'], { cwd: project, env, timeoutMs: 60_000 })
    expect(fromCode.code, fromCode.output).toBe(0)
    expect(JSON.parse(readFileSync(join(project, 'from-code', 'result.json'), 'utf8')).targets.old.requests).toMatchObject({ total: 20, ok: 20 })
    // the same from JavaScript, for real
    writeFileSync(join(project, 'use.mjs'), [
      "import { defineScenario, run, compareRuns } from 'cutover'",
      `const scenario = defineScenario({ name: 'api', targets: { old: { url: '${old?.url ?? ''}' }, new: { url: '${next?.url ?? ''}' } }, requests: [{ name: 'root', path: '/' }], phases: [{ name: 'steady', duration: '1s', rate: 40 }] })`,
      "const first = await run(scenario, { out: 'api-1', seed: 3 })",
      "const second = await run(scenario, { out: 'api-2', seed: 3, reports: false })",
      "const compared = compareRuns('api-1', 'api-2')",
      'console.log(JSON.stringify({ requests: first.targets.old.requests.total, status: second.status, checks: compared.checks.length, verdict: compared.verdict }))',
      ''
    ].join('\n'))
    const used = await runCommand(process.execPath, ['use.mjs'], { cwd: project, env: { ...process.env, CI: 'true' }, timeoutMs: 60_000 })
    expect(used.code, used.output).toBe(0)
    const printed = JSON.parse(used.output.trim().split('\n').at(-1) ?? '{}') as { requests: number, status: string, checks: number, verdict: string }
    expect(printed.requests).toBe(40)
    expect(printed.status).toBe('completed')
    expect(printed.checks).toBeGreaterThan(0)
    expect(JSON.parse(readFileSync(join(project, 'api-1', 'result.json'), 'utf8')).targets.old.requests.total).toBe(40)
    expect(existsSync(join(project, 'api-1', 'report.html'))).toBe(true)
    expect(existsSync(join(project, 'api-2', 'report.html'))).toBe(false)
    // no source maps that point at sources the package does not ship
    const shipped = join(project, 'node_modules', 'cutover', 'dist')
    expect(readdirSync(shipped, { recursive: true }).filter((name) => String(name).endsWith('.map'))).toEqual([])
  })
})
