// The published JSON Schema against ajv's strict mode and against the loader (issue 17, item 6): an editor using
// schema/scenario.schema.json must accept every scenario cutover ships and refuse what `cutover validate` refuses
// for its shape, so the two are checked on the same files and the same broken scenarios.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import YAML from 'yaml'
import { CutoverError } from '../src/core/errors.js'
import { duration, fraction, growth, ratePerSec, size, tolerance } from '../src/core/unit-schemas.js'
import { parseScenario } from '../src/scenario/load.js'
import { scenarioJsonSchema, scenarioSchemaId } from '../src/scenario/write-schema.js'
import { scenarioArb, weirdUnits } from './support/scenario-arbitraries.js'

const repoRoot = fileURLToPath(new URL('..', import.meta.url))
const shippedSchema = JSON.parse(readFileSync(join(repoRoot, 'schema/scenario.schema.json'), 'utf8')) as Record<string, unknown>

/** ajv exactly as the issue asks: draft 2020-12, strict, every error. Warnings are collected, not printed. */
function compileStrict (): { ajv: Ajv2020, validate: ValidateFunction, warnings: unknown[][] } {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
  const log = vi.spyOn(console, 'log').mockImplementation(() => {})
  try {
    const ajv = new Ajv2020({ strict: true, allErrors: true })
    const validate = ajv.compile(shippedSchema)
    return { ajv, validate, warnings: [...warn.mock.calls, ...log.mock.calls] }
  } finally {
    warn.mockRestore()
    log.mockRestore()
  }
}

let compiled: ReturnType<typeof compileStrict> | undefined
const strict = (): ReturnType<typeof compileStrict> => (compiled ??= compileStrict())

/** ajv's verdict on a scenario, with its errors as text when it refuses. */
function schemaVerdict (data: unknown): { valid: boolean, errors: string } {
  const { ajv, validate } = strict()
  const valid = validate(data)
  return { valid, errors: valid ? '' : ajv.errorsText(validate.errors, { separator: '\n' }) }
}

/** What fixtures read with `{{ env.NAME }}`. */
const env = { OLD_URL: 'http://127.0.0.1:3001', NEW_URL: 'http://127.0.0.1:3002' }

/** The loader's verdict: the error code it throws, or 'valid'. */
function loaderVerdict (text: string, file: string): string {
  try {
    parseScenario(text, file, { env })
    return 'valid'
  } catch (error) {
    if (error instanceof CutoverError) return error.code
    throw error
  }
}

const filesUnder = (folder: string): string[] => (readdirSync(join(repoRoot, folder), { recursive: true }) as string[])
  .filter((name) => /\.(ya?ml|json)$/.test(name)).sort().map((name) => join(repoRoot, folder, name))

interface ScenarioText { label: string, file: string, text: string }

/** Scenario files under scenarios/ and the valid test fixtures, and scenarios kept in example manifests. */
function shippedScenarios (): ScenarioText[] {
  const files = [
    ...filesUnder('scenarios'),
    // the valid fixtures tests load; invalid/ is refused on purpose, baseline/ holds result files and openapi/ the
    // API descriptions `cutover init` reads
    ...filesUnder('test/fixtures').filter((file) => !/[/\\](invalid|baseline|openapi)[/\\]/.test(file))
  ]
  const scenarios = files.map((file) => ({ label: relative(repoRoot, file), file, text: readFileSync(file, 'utf8') }))
  for (const file of filesUnder('examples')) {
    for (const document of YAML.parseAllDocuments(readFileSync(file, 'utf8'))) {
      const value = document.toJS() as Record<string, unknown> | null
      if (value?.kind !== 'ConfigMap') continue
      // a ConfigMap's *.yaml / *.json entries are the scenario files the pods mount
      for (const [key, text] of Object.entries(value.data as Record<string, string>)) {
        if (/\.(ya?ml|json)$/.test(key)) scenarios.push({ label: `${relative(repoRoot, file)} data.${key}`, file: join(file, '..', key), text })
      }
    }
  }
  return scenarios
}

/** Whole scenarios in the README's YAML blocks (they name files and folders that exist only in the reader's project). */
function readmeScenarios (): Array<{ label: string, data: unknown }> {
  const blocks = [...readFileSync(join(repoRoot, 'README.md'), 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)]
  return blocks.map((block, index) => ({ label: `README.md yaml block ${index + 1}`, data: YAML.parse(block[1] ?? '') as unknown }))
    .filter(({ data }) => data !== null && typeof data === 'object' && 'name' in data && 'phases' in data)
}

const base = {
  name: 'shop',
  targets: { old: { url: 'http://127.0.0.1:3001' } },
  requests: [{ name: 'home', path: '/' }],
  phases: [{ name: 'p', duration: '10s', rate: 5 }]
}
type Scenario = Record<string, unknown>
const withPhase = (phase: Scenario): Scenario => ({ ...base, phases: [{ name: 'p', ...phase }] })
const withRequest = (request: Scenario): Scenario => ({ ...base, requests: [{ name: 'home', path: '/', ...request }] })

// refused by both for their shape; the loader's code is SCENARIO_INVALID for every one
const structurallyInvalid: Array<[string, Scenario]> = [
  ['rate and connections in one phase', withPhase({ duration: '10s', rate: 5, connections: 4 })],
  ['a phase with neither rate nor connections', withPhase({ duration: '10s' })],
  ['a duration that is not one', withPhase({ duration: 'ten seconds', rate: 5 })],
  ['a duration with an unknown unit', withPhase({ duration: '10sec', rate: 5 })],
  ['a phase that lasts 0s', withPhase({ duration: '0s', rate: 5 })],
  ['a phase that lasts 0 ms', withPhase({ duration: 0, rate: 5 })],
  ['a negative duration', { ...base, requests: [{ name: 'home', path: '/', timeout: -1 }] }],
  ['an unknown top-level key', { ...base, phase: [] }],
  ['an unknown key in a request', withRequest({ wieght: 2 })],
  ['a weight of the wrong type', withRequest({ weight: 'heavy' })],
  ['a name of the wrong type', { ...base, name: 42 }],
  ['an unknown method', withRequest({ method: 'FETCH' })],
  ['a path without its slash', withRequest({ path: 'products' })],
  ['body and json in one request', withRequest({ body: 'x', json: { a: 1 } })],
  ['an expectation that is not a JSONPath', withRequest({ expect: { statusCode: 200 } })],
  ['a status that is not one', withRequest({ expect: { status: '2x' } })],
  ['no targets', { ...base, targets: {} }],
  ['a target name with a space', { ...base, targets: { 'old one': { url: 'http://127.0.0.1:3001' } } }],
  ['no requests and no journeys', { ...base, requests: [] }],
  ['no phases', { ...base, phases: [] }],
  ['a negative rate', withPhase({ duration: '10s', rate: -1 })],
  ['a ramp without its end', withPhase({ duration: '10s', rate: { from: 1 } })],
  ['a size that is not one', { ...base, targets: { old: { url: 'http://127.0.0.1:3001', monitor: { memoryLimit: '5 XB' } } } }],
  ['a tolerance without its unit', { ...base, checks: { compare: { p99: 10 } } }],
  ['a growth rate without its period', { ...base, checks: { leak: { maxGrowth: '5MB' } } }],
  ['an error rate as a word', { ...base, checks: { slo: { errorRate: 'low' } } }],
  ['one ceiling hold', { ...base, capacity: { ceilingHolds: 1 } }],
  ['0 workers', { ...base, workers: 0 }]
]

// accepted by both although they look unusual
const unusualButValid: Array<[string, Scenario]> = [
  ['a lower-case method', withRequest({ method: 'get' })],
  ['durations in compound and spaced forms', withPhase({ duration: '1m 30s', rate: 5 })],
  ['microseconds', withRequest({ timeout: '500us' })],
  ['a rate in req/s', withPhase({ duration: '2 s', rate: '300 req/s' })],
  ['a closed-model phase', withPhase({ duration: 1000, connections: 2 })],
  ['JSONPath expectations', withRequest({ expect: { status: [200, '3xx'], '$.currency': 'EUR', maxLatency: '1s' } })],
  ['journeys instead of requests', { ...base, requests: undefined, journeys: [{ name: 'j', steps: [{ path: '/', body: 'x', json: {} }, { think: '1s' }] }] }],
  ['leak: { maxGrowth: auto }', { ...base, checks: { leak: { maxGrowth: 'auto' } } }],
  ['no ceiling holds', { ...base, capacity: { ceilingHolds: 0 }, workers: 'auto' }]
]

// fixtures the loader refuses with SCENARIO_INVALID for reasons JSON Schema cannot state
const beyondJsonSchema: Record<string, string> = {
  'duplicate-request.yaml': 'names unique within a list (uniqueItems compares whole items)',
  'unknown-journey-request.yaml': 'a name that must match a name elsewhere in the file',
  'sampling-too-fast.yaml': 'a range of durations written with any unit (100ms to 1m)',
  'missing-cwd.yaml': 'a folder that must exist on disk',
  'rollout-steps-down.yaml': 'percentages written as text that must increase along a list'
}

describe('the published JSON Schema', () => {
  it('compiles under ajv strict mode for draft 2020-12, without a warning', () => {
    expect(() => strict()).not.toThrow()
    expect(strict().warnings).toEqual([])
    expect(shippedSchema.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
    expect(shippedSchema.$id).toBe(scenarioSchemaId)
    expect(new URL(scenarioSchemaId).protocol).toBe('https:')
    expect(shippedSchema).toEqual(scenarioJsonSchema())
  })

  it('accepts every shipped scenario, example and valid fixture, as the loader does', () => {
    const scenarios = shippedScenarios()
    expect(scenarios.map(({ label }) => label)).toEqual(expect.arrayContaining([
      'scenarios/demo/demo.yaml', 'test/fixtures/spec-example.yaml', 'examples/kubernetes/scenario-configmap.yaml data.scenario.yaml'
    ]))
    for (const { label, file, text } of scenarios) {
      expect(loaderVerdict(text, file), label).toBe('valid')
      const { valid, errors } = schemaVerdict(YAML.parse(text))
      expect(valid, `${label}:\n${errors}`).toBe(true)
    }
  })

  it('accepts the whole scenarios of the README', () => {
    const scenarios = readmeScenarios()
    expect(scenarios.length).toBeGreaterThanOrEqual(1)
    for (const { label, data } of scenarios) {
      const { valid, errors } = schemaVerdict(data)
      expect(valid, `${label}:\n${errors}`).toBe(true)
    }
  })

  it('accepts generated scenarios that the loader accepts', () => {
    fc.assert(fc.property(scenarioArb, (scenario) => {
      const { valid, errors } = schemaVerdict(scenario)
      expect(valid, `${JSON.stringify(scenario)}\n${errors}`).toBe(true)
    }), { seed: 20_260_517, numRuns: 300 })
  })

  it.each(structurallyInvalid)('refuses %s, as the loader does', (_label, scenario) => {
    expect(schemaVerdict(scenario).valid).toBe(false)
    expect(loaderVerdict(JSON.stringify(scenario), join(repoRoot, 'scenario.json'))).toBe('SCENARIO_INVALID')
  })

  it.each(unusualButValid)('accepts %s, as the loader does', (_label, scenario) => {
    const { valid, errors } = schemaVerdict(scenario)
    expect(valid, errors).toBe(true)
    expect(loaderVerdict(JSON.stringify(scenario), join(repoRoot, 'scenario.json'))).toBe('valid')
  })

  it('refuses every invalid fixture the loader refuses for its shape; the rest are listed with the reason', () => {
    const refusedByBoth: string[] = []
    const acceptedBySchema: string[] = []
    for (const file of filesUnder('test/fixtures/invalid')) {
      const text = readFileSync(file, 'utf8')
      if (loaderVerdict(text, file) !== 'SCENARIO_INVALID') continue
      const name = relative(join(repoRoot, 'test/fixtures/invalid'), file)
      const { valid } = schemaVerdict(YAML.parse(text))
      ;(valid ? acceptedBySchema : refusedByBoth).push(name)
    }
    expect(acceptedBySchema.sort()).toEqual(Object.keys(beyondJsonSchema).sort())
    expect(refusedByBoth).toEqual(expect.arrayContaining(['rate-and-connections.yaml', 'no-model.yaml', 'bad-duration.yaml', 'unknown-top-key.yaml', 'wrong-type.json']))
  })
})

describe('the unit patterns agree with the unit parsers', () => {
  const units = [
    ['duration', duration, () => true],
    ['positiveDuration', duration, (value: unknown) => (value as number) > 0],
    ['size', size, () => true],
    ['fraction', fraction, () => true],
    ['tolerance', tolerance, () => true],
    ['growth', growth, () => true],
    ['requestRate', ratePerSec, () => true]
  ] as const
  // texts shaped like units (blank, sign, amount, blank, unit, then a second part), right and wrong in every part, so
  // that well-formed ones come up often; no newlines: growth's `.+?` stops at them, its pattern's `\s` does not
  const one = <T>(...values: T[]): fc.Arbitrary<T> => fc.constantFrom(...values)
  const blank = one('', '', ' ', '\t')
  const amount = one('0', '1', '25', '0.5', '00', '1.', '.5', '1e3', '')
  const unit = one('', 'us', 'ms', 's', 'm', 'min', 'h', 'sec', 'hour', 'S', 'B', 'kb', 'KB', 'MiB', 'gib', 'Tb', 'iB', 'XB', '%', 'pp', 'rps', 'req/s', '/s')
  const secondPart = fc.oneof(
    fc.constant(''),
    fc.tuple(blank, one('/', '//', ''), blank, one('s', 'sec', 'min', 'm', 'h', 'hour', 'week', '')).map((parts) => parts.join('')),
    fc.tuple(amount, blank, unit).map((parts) => parts.join(''))
  )
  const shapedText = fc.tuple(blank, one('', '', '+', '-'), amount, blank, unit, blank, secondPart, blank).map((parts) => parts.join(''))
  const tokenSoup = fc.array(one('1', '0.5', ' ', '/', '%', 'pp', 'ms', 's', 'min', 'MB', 'x', '.', '-'), { maxLength: 6 }).map((tokens) => tokens.join(''))
  const unitValue = fc.oneof({ arbitrary: shapedText, weight: 4 }, { arbitrary: tokenSoup, weight: 1 }, { arbitrary: fc.double(), weight: 1 },
    { arbitrary: fc.integer({ min: -5, max: 5 }), weight: 1 })

  it.each(units)('%s', (name, zodSchema, alsoRequires) => {
    const accepts = strict().ajv.getSchema(`${scenarioSchemaId}#/$defs/${name}`)
    if (accepts === undefined) throw new Error(`no $defs/${name} in the schema`)
    const loader = (value: unknown): boolean => {
      const parsed = zodSchema.safeParse(value)
      return parsed.success && alsoRequires(parsed.data)
    }
    for (const value of [...weirdUnits, '10s', '1min', '1m30s', '1h 30m', '5MB', '5 MiB', '5MB/min', '+10%', '0.5%', '300/s', 0, 1.5, -1]) {
      expect(accepts(value), JSON.stringify(value)).toBe(loader(value))
    }
    let acceptedTexts = 0
    fc.assert(fc.property(unitValue, (value) => {
      expect(accepts(value), JSON.stringify(value)).toBe(loader(value))
      if (typeof value === 'string' && loader(value)) acceptedTexts++
    }), { seed: 20_260_517, numRuns: 5000 })
    // the generator reaches the well-formed texts, not only the refused ones
    expect(acceptedTexts).toBeGreaterThanOrEqual(10)
  })
})
