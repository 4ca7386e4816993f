import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import type { RunResult } from '../src/core/result-types.js'
import { catalog, scenarioText, type CatalogOptions } from './fixtures/shadow/catalog.js'
import { runCli } from './support/cli.js'
import { startServer, type TestServer } from './support/servers.js'

const dir = mkdtempSync(join(tmpdir(), 'cutover-shadow-cli-'))
let servers: TestServer[] = []
let files = 0

afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()))
  servers = []
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function scenario (variants: { old: CatalogOptions, new: CatalogOptions }, extra: Parameters<typeof scenarioText>[1] = {}): Promise<{ file: string, old: TestServer, new: TestServer }> {
  const old = await startServer(catalog(variants.old))
  const candidate = await startServer(catalog(variants.new))
  servers.push(old, candidate)
  const file = join(dir, `scenario-${files++}.yaml`)
  writeFileSync(file, scenarioText({ old: old.url, new: candidate.url }, extra))
  return { file, old, new: candidate }
}

describe('cutover shadow, spawned as a user runs it', () => {
  it('exit 0 when old and new differ only where old differs from itself', async () => {
    const { file } = await scenario({ old: {}, new: {} })
    const out = join(dir, 'pass')
    const run = await runCli(['shadow', file, '--rate', '300', '--requests', '100', '--seed', '1', '--out', out])
    expect(run.stderr).toMatch(/each request goes to old twice and to new once/)
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/get-product\s+100\s+0\.0%/)
    expect(run.stdout).toMatch(/ignore: \["\$\.generatedAt", "\$\.requestId"\]/)
    expect(run.stdout).toMatch(/verdict: PASS/)
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult
    expect(result).toMatchObject({ command: 'shadow', verdict: 'pass', shadow: { requests: 100, mismatched: 0 } })
  })

  it('exit 1 when new is wrong in a field, with the path in the table', async () => {
    const { file } = await scenario({ old: {}, new: { wrongPriceEvery: 5 } })
    const run = await runCli(['shadow', file, '--rate', '400', '--requests', '200', '--seed', '2', '--out', join(dir, 'fail'), '-q'])
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/\$\.price\s+value\s+\d+\.\d%\s+0\.0%\s+real/)
    expect(run.stdout).toMatch(/FAIL\s+shadow\.mismatchRate\.get-product/)
  })

  it('exit 2, nothing sent, when shadow.requests names a POST without allowMutating', async () => {
    const requests = '  - { name: get-product, path: /products/1 }\n  - { name: create-order, method: POST, path: /orders, json: { qty: 1 } }'
    const { file, old, new: candidate } = await scenario({ old: {}, new: {} }, { requests, shadow: '  requests: [get-product, create-order]' })
    const run = await runCli(['shadow', file, '--rate', '100', '--requests', '10', '--out', join(dir, 'refused')])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/shadow\.requests\[1\]/)
    expect(run.stderr).toMatch(/scenario-\d+\.yaml:11:27 shadow\.requests\[1\]/)
    expect(run.stderr).toMatch(/sends every request three times .* so a POST would create three orders/)
    expect(old.received).toEqual([])
    expect(candidate.received).toEqual([])
    expect(existsSync(join(dir, 'refused'))).toBe(false)
  })

  it('--dry-run lists method, path template and weight, and sends nothing', async () => {
    const requests = '  - { name: get-product, weight: 3, path: "/products/{{ randomInt(1, 9) }}" }\n  - { name: create-order, method: POST, path: /orders }'
    const { file, old, new: candidate } = await scenario({ old: {}, new: {} }, { requests })
    const out = join(dir, 'dry')
    const run = await runCli(['shadow', file, '--dry-run', '--out', out])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/get-product\s+GET\s+\/products\/\{\{ randomInt\(1, 9\) \}\}\s+3\s+100\.0%/)
    expect(run.stdout).toMatch(/POST create-order: mutating/)
    expect(run.stdout).toMatch(/about 200 requests/)
    expect(old.received).toEqual([])
    expect(candidate.received).toEqual([])
    expect(existsSync(out)).toBe(false)
  })

  it('exit 3 when new cannot be reached: nothing is compared', async () => {
    const old = await startServer(catalog({}))
    servers.push(old)
    const file = join(dir, `scenario-${files++}.yaml`)
    writeFileSync(file, scenarioText({ old: old.url, new: 'http://127.0.0.1:1' }))
    const run = await runCli(['shadow', file, '--rate', '50', '--duration', '1s', '--out', join(dir, 'unreachable')])
    expect(run.code).toBe(3)
    expect(run.stdout).toMatch(/target new: target "new": nothing answers/)
    expect(old.received).toEqual([])
  })
})
