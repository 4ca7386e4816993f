import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from './support/servers.js'
import { silentProgress } from '../src/run/progress.js'
import { runScenario } from '../src/run/run-scenario.js'
import { loadScenario } from '../src/scenario/load.js'

// the service is started by a command that names its file relative to its working folder: it starts only in the right one
const server = fileURLToPath(new URL('./fixtures/fixed-time-server.mjs', import.meta.url))
let dir: string

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'cutover-cwd-')) })
afterAll(() => { rmSync(dir, { recursive: true, force: true }) })

describe('start.cwd as users write it', () => {
  it('takes a relative folder from the scenario\'s folder and keeps an absolute one as it is', async () => {
    // scenario in <dir>/scenarios; old's service in <dir>/scenarios/services/old (relative), new's in <dir>/elsewhere (absolute)
    const scenarios = join(dir, 'scenarios')
    const relative = join(scenarios, 'services', 'old')
    const absolute = join(dir, 'elsewhere')
    for (const folder of [relative, absolute]) {
      mkdirSync(folder, { recursive: true })
      writeFileSync(join(folder, 'server.mjs'), `import ${JSON.stringify(server)}\n`)
    }
    const [oldPort, newPort] = [await freePort(), await freePort()]
    const file = join(scenarios, 'cwd.yaml')
    writeFileSync(file, `
name: cwd
targets:
  old: { url: "http://127.0.0.1:${oldPort}", start: { command: '"${process.execPath}" server.mjs', cwd: services/old, env: { PORT: "${oldPort}" } } }
  new: { url: "http://127.0.0.1:${newPort}", start: { command: '"${process.execPath}" server.mjs', cwd: ${JSON.stringify(absolute)}, env: { PORT: "${newPort}" } } }
requests: [{ name: hit, path: / }]
phases: [{ name: steady, duration: 2s, rate: 20 }]
`)
    const { result } = await runScenario(loadScenario(file), { out: join(dir, 'run'), schedule: 'concurrent', seed: 1, progress: silentProgress, signal: new AbortController().signal, env: {} })
    expect(result.failures, JSON.stringify(result.failures)).toEqual([])
    for (const target of ['old', 'new']) {
      expect(result.targets[target]?.requests.ok, target).toBeGreaterThan(10)
      expect(result.targets[target]?.requests.failed, target).toBe(0)
    }
  })
})
