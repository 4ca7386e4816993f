import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseCsv } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { runCli, type CliRun } from './support/cli.js'
import { readWritten, schemaOfLineOne, type WrittenScenario } from './support/init-files.js'

const fixtures = fileURLToPath(new URL('./fixtures/openapi/', import.meta.url))
const schemaFile = fileURLToPath(new URL('../schema/scenario.schema.json', import.meta.url))
const httpMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']
const readOnly = new Set(['GET', 'HEAD', 'OPTIONS'])

/** The operations of an OpenAPI document, counted straight from its YAML or JSON: `METHOD /path` → operationId. */
function operationsOf (file: string): Map<string, string | undefined> {
  const document = parse(readFileSync(file, 'utf8')) as { paths: Record<string, Record<string, { operationId?: string }>> }
  const operations = new Map<string, string | undefined>()
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of httpMethods) {
      const operation = item[method]
      if (operation !== undefined) operations.set(`${method.toUpperCase()} ${path}`, operation.operationId)
    }
  }
  return operations
}

let dir: string
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'cutover-init-openapi-')) })
afterAll(() => { rmSync(dir, { recursive: true, force: true }) })

async function validate (file: string): Promise<CliRun> {
  return await runCli(['validate', file])
}

describe('cutover init --openapi on the Swagger Petstore (OpenAPI 3.0, YAML)', () => {
  const source = join(fixtures, 'petstore-openapi.yaml')
  let run: CliRun
  let file: string
  let written: WrittenScenario

  beforeAll(async () => {
    file = join(dir, 'petstore.yaml')
    run = await runCli(['init', '--openapi', source, '--old', 'http://127.0.0.1:3001', '--new', 'http://127.0.0.1:3002', '-o', file, '--data-dir', join(dir, 'data')])
    written = readWritten(file)
  })

  it('exits 0 and says what it wrote, which credentials to set, and that validate passes', () => {
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`wrote ${file}: 19 request(s) in the load mix (8 marked for the shadow run), 11 of them changing data`)
    expect(run.stdout).toContain('set before a run: CUTOVER_API_KEY, CUTOVER_AUTHORIZATION')
    expect(run.stdout).toContain(`ok: cutover validate ${file} passes`)
    expect(run.stdout).not.toContain('placeholder')
  })

  it('writes one request per operation of the document, named by its operationId', () => {
    const operations = operationsOf(source)
    expect(operations.size).toBe(19)
    expect(written.requests).toHaveLength(operations.size)
    expect(written.commentedOut).toEqual([])
    expect(new Set(written.requests.map((request) => request.name))).toEqual(new Set(operations.values()))
  })

  it('marks every read-only operation for the shadow run and no mutating one; the mutating ones say so in the file', () => {
    const operations = operationsOf(source)
    const readOnlyIds = [...operations].filter(([key]) => readOnly.has(key.split(' ')[0] ?? '')).map(([, id]) => id)
    expect(written.shadow).toEqual(readOnlyIds)
    const mutating = written.requests.filter((request) => !readOnly.has(request.method ?? 'GET'))
    expect(mutating).toHaveLength(11)
    for (const request of mutating) expect(written.shadow).not.toContain(request.name)
    expect(written.text.match(/# CHANGES DATA \((POST|PUT|DELETE)\), never shadowed/g)).toHaveLength(11)
    expect(written.text).toContain('cutover init --read-only')
  })

  it('fills parameters: examples and defaults from the document, a data column where it gives none, the server\'s base path first', () => {
    const byName = new Map([...written.requests, ...written.commentedOut].map((request) => [request.name, request]))
    expect(byName.get('findPetsByStatus')?.path).toBe('/v3/pet/findByStatus?status=available')
    expect(byName.get('getPetById')?.path).toBe('/v3/pet/{{ pet.petId }}')
    expect(byName.get('getUserByName')?.path).toBe('/v3/user/{{ user.username }}')
    expect(byName.get('deleteOrder')?.path).toBe('/v3/store/order/{{ order.orderId }}')
    for (const request of byName.values()) expect(request.path.replace(/\{\{[^}]*\}\}/g, '')).not.toMatch(/[{}]/)
    expect(written.data).toEqual({ pet: { file: 'data/petstore-pet.csv' }, order: { file: 'data/petstore-order.csv' }, user: { file: 'data/petstore-user.csv' } })
    expect(parseCsv(readFileSync(join(dir, 'data/petstore-pet.csv')), { columns: true })).toEqual([{ petId: '0' }])
    expect(parseCsv(readFileSync(join(dir, 'data/petstore-user.csv')), { columns: true })).toEqual([{ username: 'string' }])
  })

  it('fills bodies from the schemas\' examples and reads credentials from the environment', () => {
    const byName = new Map([...written.requests, ...written.commentedOut].map((request) => [request.name, request]))
    expect(byName.get('addPet')?.json).toEqual({ id: 10, name: 'doggie', category: { id: 1, name: 'Dogs' }, photoUrls: ['string'], tags: [{ id: 0, name: 'string' }], status: 'available' })
    expect(byName.get('placeOrder')?.json).toMatchObject({ id: 10, petId: 198772, quantity: 7, status: 'approved' })
    expect(byName.get('getPetById')?.headers).toEqual({ api_key: '{{ env("CUTOVER_API_KEY") }}' })
    expect(byName.get('addPet')?.headers).toEqual({ authorization: '{{ env("CUTOVER_AUTHORIZATION") }}' })
    expect(byName.get('getOrderById')?.headers).toBeUndefined()
  })

  it('plans a warm-up ramp, steady load and a closed-model flood', () => {
    expect(written.phases.map((phase) => [phase.name, phase.rate === undefined ? 'closed' : typeof phase.rate === 'number' ? 'constant' : 'ramp'])).toEqual([
      ['warmup', 'ramp'], ['steady', 'constant'], ['flood', 'closed']
    ])
  })

  it('carries the schema comment for editors on line 1, pointing at the schema cutover ships', () => {
    expect(schemaOfLineOne(file)).toBe(resolve(schemaFile))
    expect(existsSync(schemaOfLineOne(file) ?? '')).toBe(true)
  })

  it('passes cutover validate as written, and with its commented-out requests uncommented', async () => {
    const validated = await validate(file)
    expect(validated.stderr).toBe('')
    expect(validated.code).toBe(0)
    expect(validated.stdout).toContain('2 target(s), 19 request(s)')
  })

  it('--read-only writes the 11 that change data commented out: 8 sent, and all 19 valid once uncommented', async () => {
    const readOnlyFile = join(dir, 'petstore-read-only.yaml')
    const readOnlyRun = await runCli(['init', '--openapi', source, '--read-only', '-o', readOnlyFile, '--data-dir', join(dir, 'data-read-only')])
    expect(readOnlyRun.code).toBe(0)
    expect(readOnlyRun.stdout).toContain(`wrote ${readOnlyFile}: 8 request(s) in the load mix (8 marked for the shadow run), 11 that change data written commented out`)
    const readOnlyWritten = readWritten(readOnlyFile)
    expect(readOnlyWritten.requests.every((request) => readOnly.has(request.method ?? 'GET'))).toBe(true)
    expect(readOnlyWritten.commentedOut.map((request) => request.name)).toEqual(written.requests.filter((request) => !readOnly.has(request.method ?? 'GET')).map((request) => request.name))
    const validated = await validate(readOnlyFile)
    expect(validated.code).toBe(0)
    expect(validated.stdout).toContain('2 target(s), 8 request(s)')
    const uncommented = join(dir, 'petstore-all.yaml')
    writeFileSync(uncommented, readOnlyWritten.uncommented)
    const all = await validate(uncommented)
    expect(all.stderr).toBe('')
    expect(all.code).toBe(0)
    expect(all.stdout).toContain('19 request(s)')
  })
})

describe('cutover init --openapi on an OpenAPI 3.1 document in JSON', () => {
  it('fills parameters from examples, consts and shared $ref parameters, and keeps HEAD in the shadow run', async () => {
    const file = join(dir, 'inventory.yaml')
    const run = await runCli(['init', '--openapi', join(fixtures, 'inventory-3.1.json'), '-o', file])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('set before a run: CUTOVER_AUTHORIZATION, CUTOVER_X_API_KEY')
    expect(run.stdout).toContain('change the placeholder target URL(s)')
    const written = readWritten(file)
    const readOnlyRequests = written.requests.filter((request) => readOnly.has(request.method ?? 'GET'))
    expect(readOnlyRequests.map((request) => [request.name, request.method ?? 'GET', request.path])).toEqual([
      ['listItems', 'GET', '/api/items?limit=25&warehouse=BER-1'],
      ['getItem', 'GET', '/api/items/MUG-0042'],
      ['itemExists', 'HEAD', '/api/items/MUG-0042'],
      ['get-warehouses-code-stock-itemid', 'GET', '/api/warehouses/BER-1/stock/{{ stock.itemId }}']
    ])
    expect(written.shadow).toEqual(['listItems', 'getItem', 'itemExists', 'get-warehouses-code-stock-itemid'])
    expect(written.requests.filter((request) => !readOnly.has(request.method ?? 'GET')).map((request) => [request.name, request.json])).toEqual([
      ['createItem', { sku: 'MUG-0042', name: 'Red mug', price: 12.5, tags: ['kitchen'] }],
      ['renameItem', { name: 'Blue mug' }]
    ])
    expect(written.text).toContain('url: http://127.0.0.1:8080')
    expect(written.text).toContain('# CHANGE THESE')
    const validated = await validate(file)
    expect(validated.stderr).toBe('')
    expect(validated.code).toBe(0)
  })
})

describe('cutover init --openapi refuses what is not a valid OpenAPI 3 document', () => {
  it('a broken document: exit 2, the file named, no stack trace, nothing written', async () => {
    const file = join(dir, 'broken-out.yaml')
    const run = await runCli(['init', '--openapi', join(fixtures, 'broken.yaml'), '-o', file])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/^error: broken\.yaml is not a valid OpenAPI document:/)
    expect(run.stderr).toContain('NoSuchParameter')
    expect(run.stderr).not.toMatch(/\n\s+at /)
    expect(run.stderr).not.toContain('internal error')
    expect(existsSync(file)).toBe(false)
  })

  it('a missing file, and Swagger 2.0: exit 2 with the file named', async () => {
    const missing = await runCli(['init', '--openapi', join(dir, 'nothing.yaml'), '-o', join(dir, 'x.yaml')])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('nothing.yaml: no such file')
    const swagger = join(dir, 'swagger.json')
    writeFileSync(swagger, JSON.stringify({ swagger: '2.0', info: { title: 'old', version: '1' }, paths: {} }))
    const refused = await runCli(['init', '--openapi', swagger, '-o', join(dir, 'x.yaml')])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('swagger.json is Swagger 2.0; cutover init reads OpenAPI 3.0 and 3.1')
  })
})
