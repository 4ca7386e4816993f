/**
 * Scenario fuzzing: generators of scenarios as users write them (and break them), and the oracle every input is held
 * to. Shared by test/scenario-fuzz.test.ts (a fast seeded slice) and bench/fuzz-scenarios.ts (the full run).
 *
 * Sections: the files scenarios may name · valid scenarios built from the schema's parts · hazards · mutations of the
 * tree and of the text · the oracle (runs in a worker) · the worker runner that puts a deadline on every case.
 */
import fs, { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire, syncBuiltinESMExports } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import fc from 'fast-check'
import { parseDocument, stringify } from 'yaml'
import { CutoverError } from '../../src/core/errors.js'
import { parseScenario, type LoadedScenario } from '../../src/scenario/load.js'
import type { PhaseInput } from '../../src/scenario/schema/phases.js'
import type { RequestInput } from '../../src/scenario/schema/requests.js'
import type { ScenarioInput } from '../../src/scenario/schema/scenario.js'
import type { TargetInput } from '../../src/scenario/schema/targets.js'
import type { RenderContext } from '../../src/scenario/templates.js'

/** A JSON-like tree: what a YAML or JSON scenario becomes before validation. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

// ---------------------------------------------------------------------------------------------------------------------
// The files scenarios may name
// ---------------------------------------------------------------------------------------------------------------------

/** Data files of the fixture folder, with the columns templates may read. */
const dataFiles = {
  users: { file: 'users.csv', columns: ['id', 'country'] },
  products: { file: 'products.json', columns: ['sku', 'price'] },
  events: { file: 'events.ndjson', columns: ['kind'] }
} as const
type SourceName = keyof typeof dataFiles
const sourceNames = Object.keys(dataFiles) as SourceName[]

/** A folder holding the data files generated scenarios refer to, plus real scenario files used as mutation seeds. */
export interface FuzzFixtures {
  dir: string
  /** Path given to parseScenario for generated scenarios; it is never written, only used for locations and paths. */
  scenarioFile: string
  /** Real scenarios (valid and invalid) whose text is mutated byte by byte; `file` is where they live. */
  seeds: Array<{ file: string, text: string }>
  remove: () => void
}

/** Creates the fixture folder in the temp dir and reads the seed scenarios of the repository. */
export function createFuzzFixtures (): FuzzFixtures {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-fuzz-'))
  writeFileSync(join(dir, 'users.csv'), 'id,country\nu-1,DE\nu-2,FR\n')
  writeFileSync(join(dir, 'products.json'), JSON.stringify([{ sku: 'A-1', price: 9.5 }, { sku: 'B-2', price: 20 }]))
  writeFileSync(join(dir, 'events.ndjson'), '{"kind":"view"}\n{"kind":"buy"}\n')
  writeFileSync(join(dir, 'broken.json'), '[{"sku": ')
  writeFileSync(join(dir, 'empty.csv'), '')
  mkdirSync(join(dir, 'folder'))
  // start.cwd folders the generated scenarios name (the loader checks that they exist)
  mkdirSync(join(dir, 'services', 'api'), { recursive: true })
  const invalidDir = join(repoRoot, 'test/fixtures/invalid')
  const seedFiles = [
    join(repoRoot, 'test/fixtures/spec-example.yaml'),
    join(repoRoot, 'scenarios/demo/demo.yaml'),
    ...readdirSync(invalidDir).sort().map((name) => join(invalidDir, name))
  ]
  return {
    dir,
    scenarioFile: join(dir, 'scenario.yaml'),
    seeds: seedFiles.map((file) => ({ file, text: readFileSync(file, 'utf8') })),
    remove: () => rmSync(dir, { recursive: true, force: true })
  }
}

/** The only environment the fuzzed loader is given. A plain object, like `process.env`, so inherited names exist. */
export const fuzzEnv: Readonly<Record<string, string>> = { PORT: '3001', HOST: '127.0.0.1', TOKEN: 's3cret', EMPTY: '' }

// ---------------------------------------------------------------------------------------------------------------------
// Valid scenarios, built from the schema's parts
// ---------------------------------------------------------------------------------------------------------------------

const optional = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined, freq: 2 })

const durationArb: fc.Arbitrary<string | number> = fc.oneof(
  fc.integer({ min: 1, max: 600_000 }),
  fc.integer({ min: 1, max: 5000 }).map((n) => `${n}ms`),
  fc.integer({ min: 1, max: 600 }).map((n) => `${n}s`),
  fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 59 })).map(([m, s]) => `${m}m${s}s`),
  fc.integer({ min: 1, max: 90 }).map((n) => `${n}min`),
  fc.constantFrom('1h', '0.5s', '1.5s', ' 2s ', '2 s', '250 ms', '1h30m', '500us')
)
const sizeArb: fc.Arbitrary<string | number> = fc.oneof(
  fc.integer({ min: 0, max: 2 ** 40 }),
  fc.tuple(fc.integer({ min: 1, max: 4096 }), fc.constantFrom('B', 'KB', 'MB', 'GB', 'KiB', 'MiB', 'GiB', 'kb', ' MB'))
    .map(([n, unit]) => `${n}${unit}`)
)
const fractionArb: fc.Arbitrary<string | number> = fc.oneof(
  fc.double({ min: 0, max: 1, noNaN: true }),
  fc.integer({ min: 0, max: 100 }).map((n) => `${n}%`),
  fc.constantFrom('0.5%', '0.01%', ' 1 % ')
)
const toleranceArb: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.constantFrom('+', '-', ''), fc.integer({ min: 0, max: 200 })).map(([sign, n]) => `${sign}${n}%`),
  fc.tuple(fc.constantFrom('+', '-'), fc.constantFrom('0.1', '1', '2.5')).map(([sign, n]) => `${sign}${n}pp`)
)
const growthArb: fc.Arbitrary<string> = fc.tuple(fc.integer({ min: 1, max: 500 }), fc.constantFrom('KB', 'MB', 'MiB', 'GiB'), fc.constantFrom('s', 'min', 'h', 'hour', 'm'))
  .map(([n, unit, per]) => `${n}${unit}/${per}`)
const rateArb: fc.Arbitrary<string | number> = fc.oneof(
  fc.integer({ min: 0, max: 20_000 }),
  fc.double({ min: 0, max: 1000, noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: 0, max: 5000 }).map((n) => `${n}/s`),
  fc.integer({ min: 0, max: 5000 }).map((n) => `${n} rps`),
  fc.integer({ min: 0, max: 5000 }).map((n) => `${n} req/s`)
)
const samplingIntervalArb: fc.Arbitrary<string | number> = fc.oneof(
  fc.integer({ min: 100, max: 60_000 }),
  fc.integer({ min: 100, max: 60_000 }).map((n) => `${n}ms`),
  fc.integer({ min: 1, max: 60 }).map((n) => `${n}s`),
  fc.constant('1m')
)

const scenarioNameArb = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,15}$/)
const requestNameArb = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/)
const targetNameArb = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,9}$/)
const phaseNameArb = fc.oneof(fc.stringMatching(/^[a-z][a-z0-9 -]{0,9}$/), fc.constantFrom('wärm-up', 'steady 🚀', 'ramp'))
const headerNameArb = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,12}$/)
/** Text with no `{` so that it never starts a template by accident. */
const plainTextArb = fc.string({ unit: 'grapheme', maxLength: 12 }).filter((text) => !text.includes('{'))
const wordArb = fc.stringMatching(/^[a-z0-9 _-]{0,8}$/)

const stringLiteralArb = fc.oneof(
  wordArb.map((word) => `"${word}"`),
  wordArb.map((word) => `'${word}'`),
  fc.constantFrom('"say \\"hi\\""', "'it\\'s'", '"{{"', '"}"', '""', '"é 🙂"')
)
const numberLiteralArb = fc.oneof(fc.integer({ min: -1000, max: 100_000 }).map(String), fc.constantFrom('0', '-0', '1.5', '-2.25', '007'))
const envExpressionArb = fc.constantFrom('env("PORT")', 'env("HOST", "x")', 'env.TOKEN', 'env("MISSING", "fallback")', "env('PORT')", 'env.MISSING', 'env( "EMPTY" )')

const expressionCache = new Map<string, fc.Arbitrary<string>>()
/** A template expression that is valid where data sources `sources` are declared (`dynamic`: in requests). */
function expressionArb (sources: readonly SourceName[], dynamic: boolean, depth = 2): fc.Arbitrary<string> {
  const key = `${sources.join(',')}|${String(dynamic)}|${depth}`
  const cached = expressionCache.get(key)
  if (cached !== undefined) return cached
  let arb: fc.Arbitrary<string>
  if (!dynamic) {
    arb = fc.oneof(envExpressionArb, numberLiteralArb, stringLiteralArb)
  } else {
    const argument = depth > 0 ? expressionArb(sources, dynamic, depth - 1) : fc.oneof(numberLiteralArb, stringLiteralArb)
    const columns = sources.flatMap((source) => dataFiles[source].columns.map((column) => `${source}.${column}`))
    arb = fc.oneof(
      envExpressionArb,
      numberLiteralArb,
      stringLiteralArb,
      fc.tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: 0, max: 5000 })).map(([low, high]) => `randomInt(${low}, ${high})`),
      fc.tuple(argument, argument).map(([low, high]) => `randomInt(${low},${high})`),
      fc.array(argument, { minLength: 1, maxLength: 3 }).map((args) => `pick(${args.join(', ')})`),
      fc.constantFrom('uuid()', 'counter()', 'now()', 'uuid( )'),
      ...(columns.length > 0 ? [fc.constantFrom(...columns)] : [])
    )
  }
  expressionCache.set(key, arb)
  return arb
}

/** A string of literal text and `{{ expression }}` parts. */
function templateArb (sources: readonly SourceName[], dynamic: boolean, literal: fc.Arbitrary<string> = plainTextArb): fc.Arbitrary<string> {
  const part = fc.oneof(
    literal,
    fc.tuple(fc.constantFrom('', ' ', '  '), expressionArb(sources, dynamic), fc.constantFrom('', ' ')).map(([before, expression, after]) => `{{${before}${expression}${after}}}`)
  )
  return fc.array(part, { maxLength: 3 }).map((parts) => parts.join(''))
}

// built once: stringMatching is costly to construct
const pathLiteralArb = fc.stringMatching(/^[a-z0-9/?=&._~%-]{0,10}$/)

function pathArb (sources: readonly SourceName[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: templateArb(sources, true, pathLiteralArb).map((rest) => `/${rest}`) },
    { weight: 1, arbitrary: fc.constantFrom('{{ pick("/a", "/b") }}', '{{ env("BASE", "/") }}x') }
  )
}

const targetUrlArb = fc.oneof(
  fc.integer({ min: 1, max: 65535 }).map((port) => `http://127.0.0.1:${port}`),
  fc.constantFrom(
    'http://127.0.0.1:{{ env("PORT", "3001") }}',
    'http://{{ env.HOST }}:{{ env.PORT }}/base',
    'https://localhost:8443',
    'http://[::1]:3000/',
    '{{ env("MISSING_URL", "http://127.0.0.1:3005") }}',
    'HTTP://EXAMPLE.com'
  )
)

const startArb = fc.record({
  command: fc.constantFrom('node server.mjs', 'npm start', './run.sh --port 3001'),
  env: fc.dictionary(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,8}$/), fc.oneof(templateArb([], false), fc.integer(), fc.boolean()), { maxKeys: 3, noNullPrototype: true }),
  cwd: fc.constantFrom('.', 'services', 'services/api'),
  ready: fc.constantFrom('/health', '/', '/ready?deep=1'),
  readyTimeout: durationArb,
  stopGrace: durationArb
}, { requiredKeys: ['command'] })

const monitorArb = fc.oneof(
  fc.record({ pid: fc.integer({ min: 1, max: 4_194_304 }), memoryLimit: sizeArb }, { requiredKeys: ['pid'] }),
  fc.record({ pidFile: fc.constantFrom('./old.pid', '/run/x.pid'), memoryLimit: sizeArb }, { requiredKeys: ['pidFile'] }),
  fc.record({
    prometheus: fc.constantFrom('http://127.0.0.1:9100/metrics', 'https://example.com/m'),
    metrics: fc.array(fc.constantFrom('process_cpu_seconds_total', 'go_goroutines'), { maxLength: 2 }),
    memoryLimit: sizeArb
  }, { requiredKeys: ['prometheus'] }),
  fc.record({ cgroup: fc.constantFrom('/sys/fs/cgroup/app', 'app.slice'), memoryLimit: sizeArb }, { requiredKeys: ['cgroup'] }),
  fc.record({ memoryLimit: sizeArb })
)

const targetArb: fc.Arbitrary<TargetInput> = fc.record({
  url: targetUrlArb,
  start: startArb,
  monitor: monitorArb,
  profile: fc.constantFrom('doctor' as const, 'heapprofiler' as const, 'flame' as const),
  headers: fc.dictionary(headerNameArb, fc.string({ maxLength: 12 }), { maxKeys: 2, noNullPrototype: true })
}, { requiredKeys: ['url'] })

const statusArb = fc.oneof(fc.integer({ min: 100, max: 599 }), fc.constantFrom('2xx', '3xx', '4xx', '5xx', '200', '404'))
const expectArb = fc.record({
  status: fc.oneof(statusArb, fc.array(statusArb, { minLength: 1, maxLength: 3 })),
  bodyContains: fc.string({ maxLength: 10 }),
  maxLatency: durationArb,
  '$.currency': fc.constantFrom<Json>('EUR', 1, true, null),
  '$.items[0].price': fc.double({ noNaN: true, noDefaultInfinity: true })
}, { requiredKeys: [] })

/** A JSON body whose strings may be templates. */
function jsonBodyArb (sources: readonly SourceName[]): fc.Arbitrary<Json> {
  const leaf: fc.Arbitrary<Json> = fc.oneof(
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    plainTextArb,
    templateArb(sources, true)
  )
  return fc.letrec<{ node: Json }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('node'), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 6 }), tie('node'), { maxKeys: 3, noNullPrototype: true })
    )
  })).node
}

const methodArb = fc.constantFrom('GET', 'get', 'Post', 'PUT', 'patch', 'DELETE', 'HEAD', 'OPTIONS')
const headersArb = (sources: readonly SourceName[]): fc.Arbitrary<Record<string, string>> =>
  fc.dictionary(headerNameArb, templateArb(sources, true), { maxKeys: 3, noNullPrototype: true })
const payloadArb = (sources: readonly SourceName[]): fc.Arbitrary<{ body?: string, json?: Json }> => fc.oneof(
  fc.constant({}),
  templateArb(sources, true).map((body) => ({ body })),
  jsonBodyArb(sources).map((json) => ({ json }))
)

function requestArb (name: string, sources: readonly SourceName[]): fc.Arbitrary<RequestInput> {
  const fields = fc.record({
    weight: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.double({ min: 0.1, max: 10, noNaN: true })),
    method: methodArb,
    headers: headersArb(sources),
    timeout: durationArb,
    expect: expectArb,
    allowMutating: fc.boolean()
  }, { requiredKeys: [] })
  return fc.tuple(pathArb(sources), fields, payloadArb(sources)).map(([path, rest, payload]) => ({ name, path, ...rest, ...payload }))
}

const captureArb = fc.dictionary(
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}$/),
  fc.constantFrom('$.id', '$.items[0].price', 'header:Location', 'regex:id=(\\d+)'),
  { minKeys: 1, maxKeys: 2, noNullPrototype: true }
)

function journeyArb (requestNames: readonly string[], sources: readonly SourceName[]): fc.Arbitrary<NonNullable<ScenarioInput['journeys']>[number]> {
  const think = durationArb.map((think) => ({ think }))
  const inline = fc.tuple(
    fc.record({ name: requestNameArb, method: methodArb, headers: headersArb(sources), capture: captureArb }, { requiredKeys: [] }),
    pathArb(sources),
    payloadArb(sources)
  ).map(([rest, path, payload]) => ({ ...rest, path, ...payload }))
  const byName = requestNames.length === 0
    ? []
    : [fc.record({ name: requestNameArb, request: fc.constantFrom(...requestNames), capture: captureArb, expect: expectArb }, { requiredKeys: ['request'] })]
  return fc.record({
    name: requestNameArb,
    weight: fc.integer({ min: 1, max: 10 }),
    steps: fc.array(fc.oneof(think, inline, ...byName), { minLength: 1, maxLength: 4 })
  }, { requiredKeys: ['name', 'steps'] })
}

function phaseArb (name: string): fc.Arbitrary<PhaseInput> {
  const model = fc.oneof(
    rateArb.map((rate) => ({ rate })),
    fc.tuple(rateArb, rateArb).map(([from, to]) => ({ rate: { from, to } })),
    fc.integer({ min: 1, max: 10_000 }).map((connections) => ({ connections }))
  )
  return fc.tuple(durationArb, model, optional(fc.integer({ min: 1, max: 100_000 })))
    .map(([duration, chosen, maxInFlight]) => ({ name, duration, ...chosen, ...(maxInFlight === undefined ? {} : { maxInFlight }) }))
}

const toleranceKeys = ['p50', 'p90', 'p95', 'p99', 'throughput', 'errorRate', 'cpuPerRequest', 'rssMean', 'rssPeak', 'capacity'] as const
const checksArb = fc.record({
  slo: fc.record({
    p50: durationArb, p90: durationArb, p95: durationArb, p99: durationArb, p999: durationArb, max: durationArb, mean: durationArb,
    errorRate: fractionArb, throughput: rateArb, droppedRate: fractionArb
  }, { requiredKeys: [] }),
  compare: fc.record(Object.fromEntries(toleranceKeys.map((key) => [key, toleranceArb])) as Record<(typeof toleranceKeys)[number], fc.Arbitrary<string>>, { requiredKeys: [] }),
  leak: fc.oneof(fc.constant('auto' as const), growthArb.map((maxGrowth) => ({ maxGrowth }))),
  baseline: fc.record({ file: fc.constantFrom('baselines/catalog.json', 'b.json'), p99: toleranceArb, throughput: toleranceArb }, { requiredKeys: ['file'] }),
  shadow: fc.record({ maxMismatchRate: fractionArb }, { requiredKeys: [] })
}, { requiredKeys: [] })

const capacityArb = fc.record({ start: rateArb, step: rateArb, stepDuration: durationArb, max: rateArb }, { requiredKeys: [] })

function shadowArb (requestNames: string[]): fc.Arbitrary<NonNullable<ScenarioInput['shadow']>> {
  return fc.record({
    requests: fc.subarray(requestNames),
    ignore: fc.array(fc.constantFrom('$.generatedAt', '$.requestId', '$..id'), { maxLength: 2 }),
    masks: fc.array(fc.record({ pattern: fc.constantFrom('\\d+', '[a-f0-9-]{36}'), replace: fc.constant('#'), path: fc.constant('$.id') }, { requiredKeys: ['pattern'] }), { maxLength: 2 }),
    arrays: fc.dictionary(fc.constantFrom('$.items', '$.tags'), fc.oneof(fc.constantFrom('ordered' as const, 'unordered' as const), fc.constant({ key: 'id' })), { maxKeys: 2, noNullPrototype: true }),
    headers: fc.array(fc.constantFrom('content-type', 'etag'), { maxLength: 2 }),
    renames: fc.dictionary(fc.constant('$.old'), fc.constant('$.new'), { maxKeys: 1, noNullPrototype: true }),
    mode: fc.constantFrom('statistical' as const, 'diffy' as const)
  }, { requiredKeys: [] })
}

/** Drops `undefined` values so that the tree is what a file would hold; own `__proto__` keys stay own keys. */
function compact (value: unknown): Json {
  if (Array.isArray(value)) return value.map(compact)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined).map(([key, item]) => [key, compact(item)]))
  }
  return value as Json
}

/** A scenario a user could have written, valid against the schema and every cross-check of the loader. */
export const scenarioArb: fc.Arbitrary<ScenarioInput> = fc.record({
  sources: fc.subarray(sourceNames),
  requestNames: fc.uniqueArray(requestNameArb, { maxLength: 4 }),
  targetNames: fc.uniqueArray(targetNameArb, { minLength: 1, maxLength: 3 }),
  phaseNames: fc.uniqueArray(phaseNameArb, { minLength: 1, maxLength: 4 })
}).chain(({ sources, requestNames, targetNames, phaseNames }) => {
  const journeys = fc.array(journeyArb(requestNames, sources), { minLength: 1, maxLength: 2 })
  return fc.record({
    $schema: optional(fc.constant('../../schema/scenario.schema.json')),
    name: scenarioNameArb,
    description: optional(fc.string({ unit: 'grapheme', maxLength: 30 })),
    targets: fc.tuple(...targetNames.map(() => targetArb)).map((targets) => Object.fromEntries(targetNames.map((name, i) => [name, targets[i]]))),
    data: sources.length === 0
      ? fc.constant(undefined)
      : fc.tuple(...sources.map((source) => fc.record({
        file: fc.constantFrom(dataFiles[source].file, `./${dataFiles[source].file}`),
        order: optional(fc.constantFrom('random' as const, 'sequential' as const))
      }))).map((entries) => Object.fromEntries(sources.map((source, i) => [source, entries[i]]))),
    requests: requestNames.length === 0 ? fc.constant(undefined) : fc.tuple(...requestNames.map((name) => requestArb(name, sources))),
    journeys: requestNames.length === 0 ? journeys : optional(journeys),
    phases: fc.tuple(...phaseNames.map(phaseArb)),
    sampling: optional(fc.record({ interval: samplingIntervalArb }, { requiredKeys: [] })),
    checks: optional(checksArb),
    capacity: optional(capacityArb),
    shadow: optional(shadowArb(requestNames))
  }).map((scenario) => compact(scenario) as ScenarioInput)
})

// ---------------------------------------------------------------------------------------------------------------------
// Hazards: what careless hands, other tools and attackers put into scenario files
// ---------------------------------------------------------------------------------------------------------------------

/** Every key of the schema, plus names with a meaning to JavaScript or YAML. */
export const schemaKeys = [
  '$schema', 'name', 'description', 'targets', 'requests', 'journeys', 'phases', 'data', 'sampling', 'checks', 'capacity', 'shadow', 'workers',
  'url', 'start', 'monitor', 'profile', 'headers', 'command', 'env', 'cwd', 'ready', 'readyTimeout', 'stopGrace', 'pid', 'pidFile',
  'prometheus', 'metrics', 'memoryLimit', 'cgroup', 'weight', 'method', 'path', 'body', 'json', 'timeout', 'expect', 'allowMutating',
  'status', 'bodyContains', 'maxLatency', 'steps', 'request', 'capture', 'think', 'duration', 'rate', 'connections', 'maxInFlight',
  'from', 'to', 'file', 'order', 'interval', 'slo', 'compare', 'leak', 'baseline', 'p50', 'p90', 'p95', 'p99', 'p999', 'max', 'mean',
  'errorRate', 'throughput', 'droppedRate', 'cpuPerRequest', 'rssMean', 'rssPeak', 'maxGrowth', 'maxMismatchRate', 'step',
  'stepDuration', 'ignore', 'masks', 'pattern', 'replace', 'arrays', 'key', 'renames', 'mode', '$.id',
  '<<', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '', ' ', '~', 'null', 'true', '0', '-1'
]

const weirdNumbers: Json[] = [
  0, -0, -1, 0.5, -0.5, 1e-320, Number.MIN_VALUE, 2 ** 31, 2 ** 32 + 1, 2 ** 53, 2 ** 53 + 2, 1e21, 1e308, Number.MAX_VALUE,
  Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 99, 100, 599, 600, 10_000, 10_001, 100_000, 100_001, 59_999, 60_000,
  60_001, 99.5
]

/** Unit strings that are almost right, or not at all. */
export const weirdUnits: string[] = [
  '10 seconds', 'ten seconds', '1e3ms', '1E3', '-5s', '+5s', '5 s', '5S', '5Ms', '1m30', '30s1m', '∞', 'Infinity', '-Infinity', 'NaN',
  'nan', '.nan', '0x10', '0b1', '0o7', '1_000', '1,000', '1.000.000', '', ' ', '\t', '10%%', '%', '+10', '+', '-', '5MB/week',
  '5 MiB / h', '5MB/', '/min', '١٠s', '１０s', '10ｓ', '1.s', '.5s', '5.s', '5..5s', '00000000000000000000001s', `${'9'.repeat(400)}s`,
  '1e309', '-0', '0', '0.0001us', '1us', '100pp', '+0.1PP', '+10 %', '10 rps', '10/m', '10/sec', '5kb', '5kib', '5 XB', '1TB',
  '99999999999TiB', 'true', 'null', '~', 'yes', 'on', '2xx', '6xx', '20x', '1xx ', '200.0', 'auto', 'Auto', 'AUTO '
]

/** Text that is hard on parsers, terminals and editors. */
const unicodeSamples: string[] = [
  'é', 'ü', '日本語', '🙂', '👨‍👩‍👧', 'e\u0301', '\u202Eevil', '\u200B', '\uFEFF', '\u0000', '\u0007', '\u001B[31m', '\uD800', '\uDFFF',
  '\u2028', '\u2029', '\u0085', 'İ', 'ß', 'ﬁ', '\r', '\n', '\r\n', 'Ω', '\\', '"', "'", '#', ': ', '- ', '? ', '&a', '*a', '!tag', '%',
  '@', '`', '|', '>', '{', '}', '[', ']', ',', 'http://127.0.0.1:3001', '/', '$', '$.', '../../etc/passwd'
]

/** Templates that are broken, or try to reach beyond what templates may read. Every one must be refused or harmless. */
export const hostileTemplates: string[] = [
  '{{', '}}', '{{}}', '{{ }}', '{{{{ x }}}}', '{{ {{ x }} }}', '{{ x }', '{ x }}', '}}{{', '{{ randomInt(1, }}', '{{ randomInt(1 2) }}',
  '{{ randomInt() }}', '{{ randomInt(5, 1) }}', '{{ randomInt("a", "b") }}', '{{ pick() }}', '{{ pick( }}', '{{ uuid(1) }}',
  '{{ unknownFn() }}', '{{ randInt(1, 2) }}', '{{ "unterminated }}', "{{ 'it''s' }}", "{{ 'a\\' }}", '{{ "\\" }}', '{{ "}}" }}',
  '{{ env }}', '{{ env. }}', '{{ env.1 }}', '{{ env(env("PORT")) }}', '{{ env("PATH") }}', '{{ process }}', '{{ process.env.X }}',
  '{{ process.env["X"] }}', "{{ require('fs') }}", "{{ require('child_process').execSync('id') }}",
  "{{ constructor.constructor('return process')() }}", '{{ constructor() }}', '{{ toString() }}', '{{ __proto__() }}',
  '{{ hasOwnProperty("x") }}', '{{ valueOf() }}', '{{ __defineGetter__("a", "b") }}', '{{ __proto__ }}', '{{ this }}',
  '{{ globalThis.process }}', "{{ import('fs') }}", '{{ ${1+1} }}', '{{ `x` }}', '{{ x[0] }}', '{{ a.b.c.d }}', '{{ 1e309 }}',
  '{{ 99999999999999999999999 }}', '{{ -0 }}', '{{ 0x10 }}', '{{ 1 + 1 }}', '{{ a; b }}', '{{ x => x }}', '{{ eval("1") }}',
  '{{ Function("return 1")() }}', '{{ env.constructor }}', '{{ env.__proto__ }}', '{{ env.toString }}', '{{ env("__proto__") }}',
  '{{ env("constructor") }}', '{{ env("toString", "x") }}', '{{ users.constructor }}', '{{ users.__proto__ }}', '{{ users }}',
  '{{ users.id.x }}', '{{ price }}', '{{ \u0000 }}', '{{ é }}', '{{ \u200B }}', '{{\n x \n}}', '{{ // }}', '{{ /* */ }}',
  '{{ <script> }}', '{{ pick("a",) }}', '{{ pick(,) }}', '{{ randomInt(1,,2) }}', '{{ env("A", "B", "C") }}', '{{ now }}',
  '{{ now() now() }}', '{{ 1 2 }}', '{{ "a" "b" }}', '{{ -x }}', '{{ .5 }}', '{{ 5. }}', '{{ env.PORT.x }}', '{{ ENV.PORT }}'
]

/** A string built by repeating a unit many times: quadratic regexes, parsers and copies show up here. */
function repeatedArb (maxRepeat: number): fc.Arbitrary<string> {
  return fc.record({
    prefix: fc.constantFrom('', '1', '/', '5MB', '{{ ', 'http://'),
    unit: fc.constantFrom(' ', '{{', '}}', '1 ', '9', '{{ x }}', 'a.', '[', '{', '\t', 'é', '\\', '"', 'pick(', '1s', '%'),
    count: fc.integer({ min: 1, max: maxRepeat }),
    suffix: fc.constantFrom('', 'x', '/min', 'ms', 's', '%', '}}', ' /h', '"a"', '1', ' }}')
  }).map(({ prefix, unit, count, suffix }) => `${prefix}${unit.repeat(count)}${suffix}`)
}

/** Templates nested or repeated `depth` times: calls inside calls, long dotted names, many arguments. */
function deepTemplateArb (maxDepth: number): fc.Arbitrary<string> {
  return fc.record({ kind: fc.constantFrom('calls', 'dots', 'args', 'parens', 'strings'), depth: fc.integer({ min: 1, max: maxDepth }) })
    .map(({ kind, depth }) => {
      switch (kind) {
        case 'calls': return `{{ ${'pick('.repeat(depth)}"x"${')'.repeat(depth)} }}`
        case 'dots': return `{{ env${'.a'.repeat(depth)} }}`
        case 'args': return `{{ pick(${Array.from({ length: depth }, () => '"a"').join(', ')}) }}`
        case 'parens': return `{{ ${'('.repeat(depth)}1${')'.repeat(depth)} }}`
        default: return `/${'{{ "a" }}'.repeat(depth)}`
      }
    })
}

/** Any value a key could end up holding by mistake. */
function hazardValueArb (maxRepeat: number, maxDepth: number): fc.Arbitrary<Json> {
  return fc.oneof(
    fc.constantFrom(...weirdNumbers),
    fc.constantFrom(...weirdUnits),
    fc.constantFrom(...unicodeSamples),
    fc.constantFrom(...hostileTemplates),
    fc.constantFrom<Json>(true, false, null, [], {}, [[]], { '': null }, ['a', 1, null], JSON.parse('{"__proto__": {"url": "http://evil"}}') as Json),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
    fc.integer(),
    fc.double(),
    repeatedArb(maxRepeat),
    deepTemplateArb(maxDepth)
  )
}

// ---------------------------------------------------------------------------------------------------------------------
// Mutations of the tree: typos, wrong types, missing and extra keys, nesting, broken templates
// ---------------------------------------------------------------------------------------------------------------------

type Typo = 'swap' | 'drop' | 'double' | 'upper' | 'lower' | 'replace' | 'snake' | 'plural' | 'space' | 'homoglyph' | 'empty'

/** One edit of the parsed tree; `at` picks a node (modulo the number of candidates), so edits shrink independently. */
export type TreeMutation =
  | { kind: 'delete', at: number }
  | { kind: 'rename', at: number, typo: Typo, position: number }
  | { kind: 'renameTo', at: number, key: string }
  | { kind: 'replace', at: number, value: Json }
  | { kind: 'insert', at: number, key: string, value: Json }
  | { kind: 'duplicate', at: number }
  | { kind: 'nest', at: number, depth: number, style: 'list' | 'map' }
  | { kind: 'template', at: number, fragment: string, position: number }
  | { kind: 'move', at: number, to: number }

function treeMutationArb (maxRepeat: number, maxDepth: number): fc.Arbitrary<TreeMutation> {
  const at = fc.nat()
  const key = fc.oneof(fc.constantFrom(...schemaKeys), fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 4 }))
  return fc.oneof(
    fc.record({ kind: fc.constant('delete' as const), at }),
    fc.record({
      kind: fc.constant('rename' as const),
      at,
      typo: fc.constantFrom<Typo>('swap', 'drop', 'double', 'upper', 'lower', 'replace', 'snake', 'plural', 'space', 'homoglyph', 'empty'),
      position: fc.nat()
    }),
    fc.record({ kind: fc.constant('renameTo' as const), at, key }),
    fc.record({ kind: fc.constant('replace' as const), at, value: hazardValueArb(maxRepeat, maxDepth) }),
    fc.record({ kind: fc.constant('insert' as const), at, key, value: hazardValueArb(maxRepeat, maxDepth) }),
    fc.record({ kind: fc.constant('duplicate' as const), at }),
    fc.record({ kind: fc.constant('nest' as const), at, depth: fc.integer({ min: 1, max: Math.min(maxDepth, 300) }), style: fc.constantFrom('list' as const, 'map' as const) }),
    fc.record({ kind: fc.constant('template' as const), at, fragment: fc.oneof(fc.constantFrom(...hostileTemplates), deepTemplateArb(maxDepth)), position: fc.nat() }),
    fc.record({ kind: fc.constant('move' as const), at, to: fc.nat() })
  )
}

type Path = Array<string | number>

function isRecord (value: Json | undefined): value is { [key: string]: Json } {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** Every path of the tree in depth-first order, the root first. */
function pathsOf (tree: Json, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix)
  if (Array.isArray(tree)) tree.forEach((item, index) => pathsOf(item, [...prefix, index], out))
  else if (isRecord(tree)) for (const [key, item] of Object.entries(tree)) pathsOf(item, [...prefix, key], out)
  return out
}

function valueAt (tree: Json, path: Path): Json | undefined {
  let node: Json | undefined = tree
  for (const part of path) {
    if (Array.isArray(node) && typeof part === 'number') node = node[part]
    else if (isRecord(node) && typeof part === 'string' && Object.hasOwn(node, part)) node = node[part]
    else return undefined
  }
  return node
}

/** Sets an own property, even `__proto__`. */
function setOwn (object: { [key: string]: Json } | Json[], key: string | number, value: Json): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true })
}

/** A deep copy made of own data properties only (so that `__proto__` keys survive). */
export function cloneJson (value: Json): Json {
  if (Array.isArray(value)) return value.map(cloneJson)
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, cloneJson(item)]))
  return value
}

function typo (word: string, kind: Typo, position: number): string {
  const i = word.length === 0 ? 0 : position % word.length
  switch (kind) {
    case 'swap': return i + 1 < word.length ? word.slice(0, i) + word.charAt(i + 1) + word.charAt(i) + word.slice(i + 2) : `${word}x`
    case 'drop': return word.slice(0, i) + word.slice(i + 1)
    case 'double': return word.slice(0, i + 1) + word.charAt(i) + word.slice(i + 1)
    case 'upper': return word.toUpperCase()
    case 'lower': return word.toLowerCase()
    case 'replace': return word.slice(0, i) + 'qxz'.charAt(position % 3) + word.slice(i + 1)
    case 'snake': return word.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)
    case 'plural': return word.endsWith('s') ? word.slice(0, -1) : `${word}s`
    case 'space': return position % 2 === 0 ? ` ${word}` : `${word} `
    case 'homoglyph': return word.replace(/[aeo]/, (letter) => ({ a: 'а', e: 'е', o: 'о' })[letter] ?? letter)
    default: return ''
  }
}

function renameKey (parent: { [key: string]: Json }, from: string, to: string): void {
  const entries = Object.entries(parent)
  for (const key of Object.keys(parent)) delete parent[key]
  for (const [key, value] of entries) setOwn(parent, key === from ? to : key, value)
}

function deleteAt (tree: Json, path: Path): void {
  const parent = valueAt(tree, path.slice(0, -1))
  const last = path.at(-1)
  if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1)
  else if (isRecord(parent) && typeof last === 'string') delete parent[last]
}

function replaceAt (tree: Json, path: Path, value: Json): Json {
  if (path.length === 0) return value
  const parent = valueAt(tree, path.slice(0, -1))
  const last = path.at(-1)
  if ((Array.isArray(parent) && typeof last === 'number') || (isRecord(parent) && typeof last === 'string')) setOwn(parent, last as string, value)
  return tree
}

/** Applies one mutation to `tree` (a private copy) and returns the new root. */
export function applyTreeMutation (tree: Json, mutation: TreeMutation): Json {
  const all = pathsOf(tree)
  const pick = (candidates: Path[], at: number): Path | undefined => candidates.length === 0 ? undefined : candidates[at % candidates.length]
  const keyed = all.filter((path) => typeof path.at(-1) === 'string')
  switch (mutation.kind) {
    case 'delete': {
      const path = pick(all.slice(1), mutation.at)
      if (path !== undefined) deleteAt(tree, path)
      return tree
    }
    case 'rename':
    case 'renameTo': {
      const path = pick(keyed, mutation.at)
      if (path === undefined) return tree
      const parent = valueAt(tree, path.slice(0, -1))
      const key = String(path.at(-1))
      const to = mutation.kind === 'rename' ? typo(key, mutation.typo, mutation.position) : mutation.key
      if (isRecord(parent)) renameKey(parent, key, to)
      return tree
    }
    case 'replace': {
      const path = pick(all, mutation.at)
      return path === undefined ? tree : replaceAt(tree, path, cloneJson(mutation.value))
    }
    case 'insert': {
      const path = pick(all.filter((candidate) => isRecord(valueAt(tree, candidate))), mutation.at)
      const target = path === undefined ? undefined : valueAt(tree, path)
      if (isRecord(target)) setOwn(target, mutation.key, cloneJson(mutation.value))
      return tree
    }
    case 'duplicate': {
      const path = pick(all.filter((candidate) => { const value = valueAt(tree, candidate); return Array.isArray(value) && value.length > 0 }), mutation.at)
      const list = path === undefined ? undefined : valueAt(tree, path)
      if (Array.isArray(list) && list.length > 0) list.push(cloneJson(list[mutation.at % list.length] ?? null))
      return tree
    }
    case 'nest': {
      const path = pick(all, mutation.at)
      if (path === undefined) return tree
      let value = valueAt(tree, path) ?? null
      for (let i = 0; i < mutation.depth; i++) value = mutation.style === 'list' ? [value] : { a: value }
      return replaceAt(tree, path, value)
    }
    case 'template': {
      const path = pick(all.filter((candidate) => typeof valueAt(tree, candidate) === 'string'), mutation.at)
      const text = path === undefined ? undefined : valueAt(tree, path)
      if (path === undefined || typeof text !== 'string') return tree
      const position = mutation.position % (text.length + 1)
      return replaceAt(tree, path, text.slice(0, position) + mutation.fragment + text.slice(position))
    }
    case 'move': {
      const from = pick(all.slice(1), mutation.at)
      const to = pick(keyed, mutation.to)
      if (from === undefined || to === undefined || to.join('\u0000').startsWith(from.join('\u0000'))) return tree
      const value = cloneJson(valueAt(tree, from) ?? null)
      return replaceAt(tree, to, value)
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Rendering a tree as a file, and mutations of the text
// ---------------------------------------------------------------------------------------------------------------------

/** How a generated scenario is written out: every style here keeps a valid scenario valid. */
export interface RenderStyle {
  format: 'yaml' | 'json'
  indent: number
  collectionStyle: 'any' | 'block' | 'flow'
  stringType: 'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE'
  lineWidth: number
  crlf: boolean
  bom: boolean
  header: boolean
}

const renderStyleArb: fc.Arbitrary<RenderStyle> = fc.record({
  format: fc.constantFrom('yaml' as const, 'yaml' as const, 'json' as const),
  indent: fc.constantFrom(0, 2, 4),
  collectionStyle: fc.constantFrom('any' as const, 'block' as const, 'flow' as const),
  stringType: fc.constantFrom('PLAIN' as const, 'QUOTE_DOUBLE' as const, 'QUOTE_SINGLE' as const),
  lineWidth: fc.constantFrom(0, 40, 80),
  crlf: fc.boolean(),
  bom: fc.boolean(),
  header: fc.boolean()
})

/** Writes a tree as YAML or JSON text in the given style. */
export function renderTree (tree: Json, style: RenderStyle): string {
  let text = style.format === 'json'
    ? JSON.stringify(tree, null, style.indent)
    : stringify(tree, {
      indent: Math.max(style.indent, 2),
      collectionStyle: style.collectionStyle,
      defaultStringType: style.stringType,
      defaultKeyType: 'PLAIN',
      lineWidth: style.lineWidth
    })
  if (style.header && style.format === 'yaml') text = `# yaml-language-server: $schema=../schema/scenario.schema.json\n${text}`
  if (style.crlf) text = text.replace(/\n/g, '\r\n')
  return style.bom ? `\uFEFF${text}` : text
}

/** One edit of the text: bytes, lines and YAML constructs. Positions are taken modulo the text's length. */
export type TextMutation =
  | { kind: 'insert', at: number, text: string }
  | { kind: 'delete', at: number, length: number }
  | { kind: 'flip', at: number, bit: number }
  | { kind: 'truncate', at: number }
  | { kind: 'duplicateLine', line: number }
  | { kind: 'deleteLine', line: number }
  | { kind: 'swapLines', line: number, other: number }
  | { kind: 'indent', line: number, by: number, tab: boolean }
  | { kind: 'tag', line: number, tag: string }
  | { kind: 'anchorAlias', line: number, other: number, anchor: string }
  | { kind: 'mergeKey', line: number, anchorLine: number, form: number }
  | { kind: 'prefix', text: string }
  | { kind: 'appendDocument', separator: string, text: string }
  | { kind: 'lineEndings', style: 'crlf' | 'cr' | 'mixed' | 'nel' }
  | { kind: 'deepNest', line: number, depth: number, style: 'flow-seq' | 'flow-map' | 'block-seq' | 'block-map' | 'mixed' }
  | { kind: 'aliasBomb', levels: number, width: number, key: string }
  | { kind: 'setValue', line: number, value: string }

const hazardChars = [
  '{', '}', '[', ']', ':', ',', '&', '*', '!', '|', '>', "'", '"', '#', '%', '@', '`', '-', '?', '\t', '\r', '\n', '\uFEFF', '\u0000',
  ' ', '{{', '}}', ': ', '- ', '\\', '\u2028', '\u0085', '\uD800', '---', '...', '<<: ', '\r\n'
]
const yamlTags = [
  '!!js/function', '!!js/regexp', '!!js/undefined', '!!binary', '!!set', '!!omap', '!!pairs', '!!timestamp', '!!float', '!!int',
  '!!str', '!!null', '!!bool', '!!map', '!!seq', '!!merge', '!custom', '!', '!<tag:yaml.org,2002:js/undefined>',
  '!!python/object/apply:os.system', '!<!>', '!e!foo', '!!', '!<tag:yaml.org,2002:binary>'
]
/** Raw YAML values that no generator writes: integers beyond doubles, YAML 1.1 forms, block scalars. */
const rawValues = [
  '123456789012345678901234567890', '-123456789012345678901234567890', '0x7FFFFFFFFFFFFFFF', '.inf', '-.inf', '.NaN', '1e400',
  '0o777', '0777', '1_000_000', '0b101', '1:30', 'yes', 'off', '~', 'Null', 'NULL', '""', "''", '|\n  multi\n  line', '>-\n  folded',
  '[]', '{}', '[a, b', '{a: 1', '*nowhere', '&lonely', '!!binary aGVsbG8=', '? complex', '"\\u0000"', '"\\uD800"', '"\\x41"',
  '2001-12-14t21:59:43.10-05:00', '!!js/function "function () { return process }"', '!!python/object/apply:os.system ["id"]'
]
const prefixes = [
  '\uFEFF', '%YAML 1.1\n---\n', '%YAML 1.2\n---\n', '%YAML 2.0\n---\n', '---\n', '# comment\n', '%TAG !e! tag:example.com,2000:\n---\n',
  '--- !!map\n', '--- |\n', '\t', ' ', '\u0000', '\uFEFF\uFEFF', '...\n', '%FOO bar\n---\n', '--- # doc\n'
]

function textMutationArb (maxRepeat: number, maxDepth: number): fc.Arbitrary<TextMutation> {
  const at = fc.nat()
  const line = fc.nat()
  const chunk = fc.oneof(fc.constantFrom(...hazardChars), fc.string({ unit: 'binary', minLength: 1, maxLength: 4 }), fc.constantFrom(...hostileTemplates))
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('insert' as const), at, text: chunk }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at, length: fc.integer({ min: 1, max: 8 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('flip' as const), at, bit: fc.integer({ min: 0, max: 15 }) }) },
    fc.record({ kind: fc.constant('truncate' as const), at }),
    fc.record({ kind: fc.constant('duplicateLine' as const), line }),
    fc.record({ kind: fc.constant('deleteLine' as const), line }),
    fc.record({ kind: fc.constant('swapLines' as const), line, other: fc.nat() }),
    fc.record({ kind: fc.constant('indent' as const), line, by: fc.integer({ min: -4, max: 4 }), tab: fc.boolean() }),
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('tag' as const), line, tag: fc.constantFrom(...yamlTags) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('anchorAlias' as const), line, other: fc.nat(), anchor: fc.constantFrom('a', 'x1', 'é', 'a-b', '') }) },
    fc.record({ kind: fc.constant('mergeKey' as const), line, anchorLine: fc.nat(), form: fc.nat(3) }),
    fc.record({ kind: fc.constant('prefix' as const), text: fc.constantFrom(...prefixes) }),
    fc.record({
      kind: fc.constant('appendDocument' as const),
      separator: fc.constantFrom('\n---\n', '\n...\n', '\n--- ', '\n...\n---\n'),
      text: fc.constantFrom('name: second', '', '- a', '{}', 'name: b\ntargets: {}')
    }),
    fc.record({ kind: fc.constant('lineEndings' as const), style: fc.constantFrom('crlf' as const, 'cr' as const, 'mixed' as const, 'nel' as const) }),
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('deepNest' as const),
        line,
        depth: fc.integer({ min: 1, max: maxDepth }),
        style: fc.constantFrom('flow-seq' as const, 'flow-map' as const, 'block-seq' as const, 'block-map' as const, 'mixed' as const)
      })
    },
    fc.record({ kind: fc.constant('aliasBomb' as const), levels: fc.integer({ min: 1, max: 10 }), width: fc.integer({ min: 1, max: 10 }), key: fc.constantFrom('bomb', 'description', 'x') }),
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('setValue' as const), line, value: fc.oneof(fc.constantFrom(...rawValues), repeatedArb(maxRepeat).map((text) => JSON.stringify(text)), repeatedArb(maxRepeat)) }) }
  )
}

/** Lines whose value follows `key: ` (or `- `), with the column where the value starts. */
function valueLines (lines: string[]): Array<{ index: number, valueAt: number }> {
  const found: Array<{ index: number, valueAt: number }> = []
  lines.forEach((line, index) => {
    const match = /^(\s*(?:- )?[^\s#][^:#]*:)(?: |$)/.exec(line)
    if (match !== null) found.push({ index, valueAt: Math.min(line.length, match[1]!.length + 1) })
  })
  return found
}

function indentOf (line: string): string {
  return /^[ \t]*(?:- )?/.exec(line)?.[0].replace('- ', '  ') ?? ''
}

function aliasBomb (levels: number, width: number, key: string): string {
  let text = `${key}:\n  l0: &l0 ["lol"]\n`
  for (let level = 1; level <= levels; level++) text += `  l${level}: &l${level} [${Array.from({ length: width }, () => `*l${level - 1}`).join(', ')}]\n`
  return text
}

function deepValue (depth: number, style: string, indent: string): string {
  switch (style) {
    case 'flow-seq': return `${'['.repeat(depth)}1${']'.repeat(depth)}`
    case 'flow-map': return `${'{a: '.repeat(depth)}1${'}'.repeat(depth)}`
    case 'block-seq': return `\n${indent}  ${'- '.repeat(depth)}x`
    case 'block-map': {
      let text = ''
      for (let i = 0; i < Math.min(depth, 1500); i++) text += `\n${indent}${' '.repeat(2 * (i + 1))}a:`
      return `${text} 1`
    }
    default: return `${'[{a: '.repeat(depth)}1${'}]'.repeat(depth)}`
  }
}

/** Applies one text mutation. */
export function applyTextMutation (text: string, mutation: TextMutation): string {
  const position = (at: number): number => at % (text.length + 1)
  const lines = text.split('\n')
  const lineIndex = (n: number): number => n % lines.length
  const withValue = valueLines(lines)
  const valueLine = (n: number): { index: number, valueAt: number } | undefined => withValue.length === 0 ? undefined : withValue[n % withValue.length]
  switch (mutation.kind) {
    case 'insert': return text.slice(0, position(mutation.at)) + mutation.text + text.slice(position(mutation.at))
    case 'delete': return text.slice(0, position(mutation.at)) + text.slice(position(mutation.at) + mutation.length)
    case 'flip': {
      const i = position(mutation.at)
      if (i >= text.length) return text
      return text.slice(0, i) + String.fromCharCode(text.charCodeAt(i) ^ (1 << mutation.bit)) + text.slice(i + 1)
    }
    case 'truncate': return text.slice(0, position(mutation.at))
    case 'duplicateLine': {
      const i = lineIndex(mutation.line)
      lines.splice(i, 0, lines[i] ?? '')
      return lines.join('\n')
    }
    case 'deleteLine':
      lines.splice(lineIndex(mutation.line), 1)
      return lines.join('\n')
    case 'swapLines': {
      const i = lineIndex(mutation.line)
      const j = lineIndex(mutation.other)
      const a = lines[i] ?? ''
      lines[i] = lines[j] ?? ''
      lines[j] = a
      return lines.join('\n')
    }
    case 'indent': {
      const i = lineIndex(mutation.line)
      const line = lines[i] ?? ''
      lines[i] = mutation.tab
        ? `\t${line}`
        : mutation.by >= 0 ? ' '.repeat(mutation.by) + line : line.replace(new RegExp(`^ {0,${-mutation.by}}`), '')
      return lines.join('\n')
    }
    case 'tag': {
      const target = valueLine(mutation.line)
      if (target === undefined) return `${mutation.tag} ${text}`
      const line = lines[target.index] ?? ''
      lines[target.index] = `${line.slice(0, target.valueAt)} ${mutation.tag} ${line.slice(target.valueAt)}`
      return lines.join('\n')
    }
    case 'anchorAlias': {
      const first = valueLine(mutation.line)
      const second = valueLine(mutation.other)
      if (first === undefined || second === undefined) return text
      const a = lines[first.index] ?? ''
      lines[first.index] = `${a.slice(0, first.valueAt)} &${mutation.anchor} ${a.slice(first.valueAt)}`
      const b = lines[second.index] ?? ''
      if (second.index !== first.index) lines[second.index] = `${b.slice(0, second.valueAt)} *${mutation.anchor}`
      return lines.join('\n')
    }
    case 'mergeKey': {
      const source = valueLine(mutation.anchorLine)
      const target = lineIndex(mutation.line)
      if (source !== undefined) {
        const a = lines[source.index] ?? ''
        lines[source.index] = `${a.slice(0, source.valueAt)} &m ${a.slice(source.valueAt)}`
      }
      const forms = ['<<: *m', '<<: { name: merged, weight: 3 }', '<<: [*m, *m]', '<<: 1']
      lines.splice(target, 0, `${indentOf(lines[target] ?? '')}${forms[mutation.form % forms.length] ?? ''}`)
      return lines.join('\n')
    }
    case 'prefix': return mutation.text + text
    case 'appendDocument': return text + mutation.separator + mutation.text
    case 'lineEndings':
      switch (mutation.style) {
        case 'crlf': return text.replace(/\r?\n/g, '\r\n')
        case 'cr': return text.replace(/\r?\n/g, '\r')
        case 'nel': return text.replace(/\r?\n/g, '\u0085')
        default: return text.split('\n').map((line, i) => i % 2 === 0 ? line : `\r${line}`).join('\n')
      }
    case 'deepNest': {
      const target = valueLine(mutation.line)
      if (target === undefined) return `${text}\nx: ${deepValue(mutation.depth, mutation.style, '')}\n`
      const line = lines[target.index] ?? ''
      lines[target.index] = `${line.slice(0, target.valueAt)} ${deepValue(mutation.depth, mutation.style, indentOf(line))}`
      return lines.join('\n')
    }
    case 'aliasBomb': return `${text}\n${aliasBomb(mutation.levels, mutation.width, mutation.key)}`
    case 'setValue': {
      const target = valueLine(mutation.line)
      if (target === undefined) return text
      const line = lines[target.index] ?? ''
      lines[target.index] = `${line.slice(0, target.valueAt)} ${mutation.value.replace(/\n/g, `\n${indentOf(line)}  `)}`
      return lines.join('\n')
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Hand-written hostile documents, used whole and as seeds for text mutations
// ---------------------------------------------------------------------------------------------------------------------

const minimal = 'name: t\ntargets:\n  old: { url: "http://127.0.0.1:3001" }\nrequests:\n  - { name: a, path: /x }\nphases:\n  - { name: p, duration: 1s, rate: 1 }\n'

/** A small valid scenario with `extra` appended (top-level keys) or `path` as the request path. */
export function minimalScenario (options: { extra?: string, path?: string, url?: string, json?: string, startEnv?: string } = {}): string {
  let text = minimal
  if (options.path !== undefined) text = text.replace('path: /x', `path: ${JSON.stringify(options.path)}`)
  if (options.url !== undefined) text = text.replace('url: "http://127.0.0.1:3001"', `url: ${JSON.stringify(options.url)}`)
  if (options.json !== undefined) text = text.replace('path: /x }', `path: /x, json: ${options.json} }`)
  if (options.startEnv !== undefined) text = text.replace('old: { ', `old: { start: { command: x, env: { V: ${JSON.stringify(options.startEnv)} } }, `)
  return text + (options.extra ?? '')
}

/** Documents an attacker or a broken tool could produce. */
export const hostileDocuments: string[] = [
  aliasBomb(9, 9, 'bomb'),
  minimalScenario({ extra: aliasBomb(9, 9, 'description') }),
  minimalScenario({ json: '&x [1]' }).replace('phases:', `x: [${Array.from({ length: 200 }, () => '*x').join(', ')}]\nphases:`),
  minimalScenario({ extra: 'x: !!js/function "function () { return process.exit(1) }"\n' }),
  minimalScenario({ extra: 'description: !!binary aGVsbG8=\n' }),
  minimalScenario({ extra: 'description: !!python/object/apply:os.system ["id"]\n' }),
  minimalScenario({ extra: 'sampling: &s { interval: 1s }\ncapacity:\n  <<: *s\n' }),
  `%YAML 1.1\n---\n${minimalScenario({ extra: 'base: &b { interval: 1s }\nsampling:\n  <<: *b\n' })}`,
  `${minimalScenario()}---\n${minimalScenario()}`,
  `\uFEFF${minimalScenario()}`,
  minimalScenario().replace(/\n/g, '\r\n'),
  minimalScenario().replace(/\n/g, '\r'),
  minimalScenario().replace('  old', '\told'),
  `name: ${'['.repeat(20_000)}`,
  `x: ${'['.repeat(5000)}${']'.repeat(5000)}`,
  minimalScenario({ json: `${'['.repeat(3000)}1${']'.repeat(3000)}` }),
  minimalScenario({ path: `/{{ ${'pick('.repeat(5000)}"x"${')'.repeat(5000)} }}` }),
  minimalScenario({ url: `http://127.0.0.1:{{ ${'env('.repeat(3000)}"PORT"${')'.repeat(3000)} }}` }),
  minimalScenario({ path: `/${'{{'.repeat(20_000)}` }),
  minimalScenario({ extra: `checks: { leak: { maxGrowth: "${' '.repeat(20_000)}x" } }\n` }),
  minimalScenario({ extra: 'data: { __proto__: { file: "users.csv" } }\n' }),
  minimalScenario({ extra: 'data: { u: { file: "." } }\n' }),
  minimalScenario({ extra: 'data: { u: { file: "folder" } }\n' }),
  minimalScenario({ extra: 'data: { u: { file: "/dev/null" } }\n' }),
  minimalScenario({ extra: 'data: { u: { file: "/dev/zero" } }\n' }),
  minimalScenario({ extra: 'data: { u: { file: "broken.json" } }\n' }),
  minimalScenario({ extra: 'data: { u: { file: "users.csv\\u0000.txt" } }\n' }),
  minimalScenario({ url: 'http://127.0.0.1:3001/{{ env.constructor }}' }),
  minimalScenario({ startEnv: '{{ env.__proto__ }}' }),
  minimalScenario({ path: '/{{ constructor() }}' }),
  minimalScenario({ extra: 'targets: {}\n' }),
  '', ' ', '\n', '~', 'null', '[]', '"just a string"', '42', '{', '}', '- a\n- b', '!!binary aGVsbG8=', '--- !!set\n? a\n',
  '\u0000', '\uFEFF', '%YAML 1.2', '---', '...', '#', '&a *a', '*a', '? [a, b]\n: c\n', '{ ? a }'
]

// ---------------------------------------------------------------------------------------------------------------------
// Fuzz cases
// ---------------------------------------------------------------------------------------------------------------------

/** Where a case starts from: a generated scenario, a real scenario file, or a hand-written hostile document. */
export type FuzzSeed =
  | { kind: 'generated', scenario: ScenarioInput, style: RenderStyle }
  | { kind: 'file', index: number }
  | { kind: 'hostile', index: number }

/** One generated input: a seed, edits of its tree, edits of its text, and how much call stack is in use already. */
export interface FuzzCase {
  seed: FuzzSeed
  tree: TreeMutation[]
  text: TextMutation[]
  /** Share of the call stack (0–0.7) used up before the loader is called, to move where deep nesting overflows. */
  stackShare: number
}

/** Sizes of the hazards: the fast slice keeps them small, the full run goes large. */
export interface FuzzLimits {
  /** Longest repetition in repeated strings (spaces, braces, digits). */
  maxRepeat: number
  /** Deepest nesting of lists, maps and template calls. */
  maxDepth: number
}

/** Every kind of fuzz case, weighted: untouched generated scenarios, tree edits, text edits of generated and real files. */
export function fuzzCaseArb (fixtures: FuzzFixtures, limits: FuzzLimits): fc.Arbitrary<FuzzCase> {
  const generated: fc.Arbitrary<FuzzSeed> = fc.record({ kind: fc.constant('generated' as const), scenario: scenarioArb, style: renderStyleArb })
  const fileSeed: fc.Arbitrary<FuzzSeed> = fc.oneof(
    fc.record({ kind: fc.constant('file' as const), index: fc.nat(fixtures.seeds.length - 1) }),
    fc.record({ kind: fc.constant('hostile' as const), index: fc.nat(hostileDocuments.length - 1) })
  )
  const treeMutation = treeMutationArb(limits.maxRepeat, limits.maxDepth)
  const textMutation = textMutationArb(limits.maxRepeat, limits.maxDepth)
  const stackShare = fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 70 }).map((percent) => percent / 100) })
  return fc.oneof(
    { weight: 2, arbitrary: fc.record({ seed: generated, tree: fc.constant<TreeMutation[]>([]), text: fc.constant<TextMutation[]>([]), stackShare: fc.constant(0) }) },
    { weight: 4, arbitrary: fc.record({ seed: generated, tree: fc.array(treeMutation, { minLength: 1, maxLength: 4 }), text: fc.constant<TextMutation[]>([]), stackShare }) },
    { weight: 2, arbitrary: fc.record({ seed: generated, tree: fc.array(treeMutation, { maxLength: 2 }), text: fc.array(textMutation, { minLength: 1, maxLength: 4 }), stackShare }) },
    { weight: 2, arbitrary: fc.record({ seed: fileSeed, tree: fc.constant<TreeMutation[]>([]), text: fc.array(textMutation, { maxLength: 4 }), stackShare }) }
  )
}

/** What the loader is given for one case. */
export interface CaseInput {
  text: string
  file: string
  /** True for generated scenarios nobody mutated: they must load. */
  mustLoad: boolean
  stackShare: number
}

/** Turns a case into the text and path the loader receives. */
export function buildCaseInput (fuzzCase: FuzzCase, fixtures: FuzzFixtures): CaseInput {
  const { seed } = fuzzCase
  let text: string
  let file = fixtures.scenarioFile
  if (seed.kind === 'generated') {
    let tree = cloneJson(seed.scenario as unknown as Json)
    for (const mutation of fuzzCase.tree) tree = applyTreeMutation(tree, mutation)
    text = renderTree(tree, seed.style)
    if (seed.style.format === 'json') file = file.replace(/\.yaml$/, '.json')
  } else if (seed.kind === 'file') {
    const source = fixtures.seeds[seed.index % fixtures.seeds.length]!
    text = source.text
    file = source.file
  } else {
    text = hostileDocuments[seed.index % hostileDocuments.length]!
  }
  for (const mutation of fuzzCase.text) text = applyTextMutation(text, mutation)
  const mustLoad = seed.kind === 'generated' && fuzzCase.tree.length === 0 && fuzzCase.text.length === 0
  return { text, file, mustLoad, stackShare: fuzzCase.stackShare }
}

// ---------------------------------------------------------------------------------------------------------------------
// The oracle: what every input must lead to
// ---------------------------------------------------------------------------------------------------------------------

/** How one input went. `failure` breaks the property. */
export type Verdict =
  | { outcome: 'loaded', ms: number, notes: string[] }
  | { outcome: 'refused', code: string, issues: number, ms: number, notes: string[] }
  | { outcome: 'failure', reason: string, ms: number }

const refusalCodes = new Set(['SCENARIO_SYNTAX', 'SCENARIO_INVALID', 'TEMPLATE', 'DATA_FILE'])
/** Codes of problems in the scenario's content: their issues must name the field. */
const fieldCodes = new Set(['SCENARIO_INVALID', 'TEMPLATE', 'DATA_FILE'])
/** Environment variables the `yaml` package reads for its own debugging; not the scenario's doing. */
const libraryEnvNames = new Set(['LOG_TOKENS', 'LOG_STREAM'])
const fsFunctions = [
  'readFileSync', 'statSync', 'lstatSync', 'openSync', 'existsSync', 'accessSync', 'readdirSync', 'realpathSync', 'opendirSync',
  'readlinkSync', 'createReadStream', 'readFile', 'stat', 'open', 'watch', 'watchFile'
] as const

/** Every data file the text declares, resolved as the loader would; reading anything else is a leak. */
function declaredDataFiles (text: string, file: string): Set<string> {
  const allowed = new Set<string>()
  try {
    const parsed = parseDocument(text, { uniqueKeys: false }).toJS({ maxAliasCount: 100 }) as { data?: unknown, targets?: unknown } | null
    const data = parsed?.data
    if (data !== null && typeof data === 'object') {
      for (const source of Object.values(data as Record<string, unknown>)) {
        const name = (source as { file?: unknown } | null)?.file
        if (typeof name === 'string') allowed.add(resolve(dirname(file), name))
      }
    }
    // the loader also checks that each start.cwd folder exists
    const targets = parsed?.targets
    if (targets !== null && typeof targets === 'object') {
      for (const target of Object.values(targets as Record<string, unknown>)) {
        const cwd = ((target as { start?: unknown } | null)?.start as { cwd?: unknown } | null | undefined)?.cwd
        if (typeof cwd === 'string') allowed.add(resolve(dirname(file), cwd))
      }
    }
  } catch {}
  return allowed
}

function lineCount (text: string): number {
  return (text.match(/\r\n|\r|\n|\u0085|\u2028|\u2029/g)?.length ?? 0) + 1
}

function checkIssues (error: CutoverError, input: CaseInput): string | undefined {
  if (!refusalCodes.has(error.code)) return `refused with code ${error.code}, which parseScenario should never use: ${error.message}`
  if (error.issues.length === 0) return `CutoverError ${error.code} without located issues: ${error.message}`
  if (typeof error.message !== 'string' || error.message === '') return `CutoverError ${error.code} without a message`
  const lines = lineCount(input.text)
  for (const issue of error.issues) {
    const { location } = issue
    const where = JSON.stringify(location)
    if (location.file !== input.file) return `issue "${issue.message}" names file ${String(location.file)}, not ${input.file}`
    if (location.line === undefined || !Number.isInteger(location.line) || location.line < 1 || location.line > lines) {
      return `issue "${issue.message}" has line ${String(location.line)} (the text has ${lines} lines): ${where}`
    }
    if (location.column !== undefined && (!Number.isInteger(location.column) || location.column < 1)) return `issue "${issue.message}" has column ${location.column}: ${where}`
    if (fieldCodes.has(error.code) && typeof location.field !== 'string') return `${error.code} issue "${issue.message}" has no field path: ${where}`
    if (typeof issue.message !== 'string' || issue.message.trim() === '') return `issue without a message at ${where}`
  }
  return undefined
}

/** Notes that are worth counting but not failing on: imprecise columns, huge messages, printed warnings. */
function noteIssues (error: CutoverError, text: string): string[] {
  const notes: string[] = []
  // lines as yaml's LineCounter counts them: only "\n" ends a line
  const lines = text.split('\n')
  for (const issue of error.issues) {
    const line = lines[(issue.location.line ?? 1) - 1] ?? ''
    if (issue.location.column !== undefined && issue.location.column > line.length + 1) { notes.push('column past the end of its line'); break }
  }
  if (error.message.length + error.issues.reduce((sum, issue) => sum + issue.message.length, 0) > 10_000) notes.push('message over 10 kB')
  return notes
}

function seededContext (loaded: LoadedScenario): RenderContext {
  let state = 7
  let counter = 0
  return {
    random: () => { state = (state * 1_103_515_245 + 12_345) % 2 ** 31; return state / 2 ** 31 },
    env: (name) => Object.hasOwn(fuzzEnv, name) ? fuzzEnv[name] : undefined,
    row: (source) => loaded.data.get(source)?.rows[0] ?? {},
    vars: {},
    next: () => ++counter
  }
}

/** What loaded scenarios must hold: http(s) targets, and requests that render without throwing or leaking JS internals. */
function checkLoaded (loaded: LoadedScenario, input: CaseInput): string | undefined {
  if (loaded.file !== input.file) return `loaded scenario reports file ${loaded.file}`
  const leaked = (rendered: string): boolean =>
    (rendered.includes('[native code]') && !input.text.includes('[native code]')) || (rendered.includes('[object Object]') && !input.text.includes('[object Object]'))
  for (const [name, target] of Object.entries(loaded.targets)) {
    if (target.url.protocol !== 'http:' && target.url.protocol !== 'https:') return `target ${name} has protocol ${target.url.protocol}`
    if (leaked(target.url.href)) return `target ${name} URL shows a JavaScript internal: ${target.url.href}`
    for (const [key, value] of Object.entries(target.env)) {
      if (typeof value !== 'string') return `start env ${key} of ${name} is ${typeof value}, not a string`
      if (leaked(value)) return `start env ${key} of ${name} shows a JavaScript internal: ${value}`
    }
  }
  const ctx = seededContext(loaded)
  const journeyRequests = loaded.journeys.flatMap((journey) => journey.requestSteps.map((step) => step.request))
  for (const request of [...loaded.requests, ...journeyRequests]) {
    try {
      const rendered = [request.path.render(ctx), ...request.headers.map(([, value]) => value.render(ctx)), request.body?.(ctx) ?? '']
      for (const text of rendered) {
        if (typeof text !== 'string') return `request ${request.name} rendered ${typeof text}`
        if (leaked(text)) return `request ${request.name} renders a JavaScript internal: ${text.slice(0, 200)}`
      }
      if (request.contentType === 'application/json') JSON.parse(rendered.at(-1) ?? '')
    } catch (error) {
      return `request ${request.name} of a loaded scenario throws when rendered: ${error instanceof Error ? error.stack ?? error.message : String(error)}`
    }
  }
  return undefined
}

const realStatSync = fs.statSync

function isSpecialFile (path: string): boolean {
  try {
    const stats = realStatSync(path)
    return !stats.isFile() && !stats.isDirectory()
  } catch {
    return false
  }
}

/**
 * Runs `run` with the file functions of `node:fs` wrapped so that every path they are given is pushed onto `paths`
 * (`<fd>` for descriptors). `syncBuiltinESMExports` makes the wrappers visible to `import { readFileSync } from 'node:fs'`.
 */
export function watchFileReads<T> (paths: string[], run: () => T): T {
  const table = fs as unknown as Record<string, unknown>
  const originals = new Map<string, unknown>()
  for (const name of fsFunctions) {
    const original = table[name]
    if (typeof original !== 'function') continue
    originals.set(name, original)
    table[name] = function (this: unknown, ...args: unknown[]) {
      const [first] = args
      const path = typeof first === 'number' ? '<fd>' : first instanceof URL ? fileURLToPath(first) : String(first)
      paths.push(path)
      // reading /dev/zero or a FIFO never ends and fills memory outside any heap limit: fail the case instead
      if (name === 'readFileSync' && path !== '<fd>' && isSpecialFile(path)) throw new Error(`the loader read ${path}, which is not a regular file`)
      return (original as (...a: unknown[]) => unknown).apply(this, args)
    }
  }
  syncBuiltinESMExports()
  try {
    return run()
  } finally {
    for (const [name, original] of originals) table[name] = original
    syncBuiltinESMExports()
  }
}

/** Calls `run` with about `frames` frames of call stack in use. */
function withStackUsed<T> (frames: number, run: () => T): T {
  return frames <= 0 ? run() : withStackUsed(frames - 1, run)
}

/** The deepest `withStackUsed` that still works here, so that cases can use a share of it. */
export function measureStackFrames (): number {
  let low = 0
  let high = 1_000_000
  while (low < high) {
    const middle = Math.ceil((low + high) / 2)
    try {
      withStackUsed(middle, () => 0)
      low = middle
    } catch {
      high = middle - 1
    }
  }
  return low
}

/**
 * Runs parseScenario on one input with the file system and the environment watched, and judges the outcome.
 * Must run where a hang can be cut short (the fuzz worker): it is synchronous, like the loader.
 */
export function judgeScenario (input: CaseInput, stackFrames: number): Verdict {
  const envReads: string[] = []
  let envListed = false
  const env = new Proxy({ ...fuzzEnv } as Record<string, string | undefined>, {
    get (target, name, receiver) { if (typeof name === 'string') envReads.push(name); return Reflect.get(target, name, receiver) as unknown },
    has (target, name) { if (typeof name === 'string') envReads.push(name); return Reflect.has(target, name) },
    ownKeys (target) { envListed = true; return Reflect.ownKeys(target) }
  })
  const processEnvReads: string[] = []
  const realProcessEnv = process.env
  const fileReads: string[] = []
  process.env = new Proxy(realProcessEnv, {
    get (target, name, receiver) { if (typeof name === 'string') processEnvReads.push(name); return Reflect.get(target, name, receiver) as unknown }
  })
  const started = performance.now()
  let loaded: LoadedScenario | undefined
  let thrown: unknown
  let threw = false
  try {
    loaded = watchFileReads(fileReads, () => withStackUsed(Math.floor(stackFrames * input.stackShare), () => parseScenario(input.text, input.file, { env })))
  } catch (error) {
    threw = true
    thrown = error
  } finally {
    process.env = realProcessEnv
  }
  const ms = performance.now() - started
  const fail = (reason: string): Verdict => ({ outcome: 'failure', reason, ms })

  // parsed again only when something was read: toJS of hostile text can be slow, and this is the oracle, not the loader
  const allowedFiles = fileReads.length === 0 ? new Set<string>() : declaredDataFiles(input.text, input.file)
  const strayFile = fileReads.find((path) => path !== '<fd>' && !allowedFiles.has(resolve(path)))
  if (strayFile !== undefined) return fail(`read ${strayFile}, which the scenario does not name as a data file or a start.cwd folder`)
  // Node and tsx read a few variables of their own (NODE_V8_COVERAGE when a stack trace is built); what matters is
  // that no name from the scenario is looked up in process.env instead of the env that was passed in
  const fromScenario = processEnvReads.filter((name) => !libraryEnvNames.has(name) && name.length > 0 && input.text.includes(name))
  if (fromScenario.length > 0) return fail(`looked up ${fromScenario.join(', ')} in process.env although an env was given`)
  if (envListed) return fail('listed every environment variable')
  const values = new Set(Object.values(fuzzEnv))
  const strayEnv = envReads.find((name) => !input.text.includes(name) && !values.has(name))
  if (strayEnv !== undefined) return fail(`read env ${strayEnv}, which the scenario does not name`)

  if (!threw) {
    if (loaded === undefined) return fail('parseScenario returned nothing')
    const problem = checkLoaded(loaded, input)
    return problem === undefined ? { outcome: 'loaded', ms, notes: [] } : fail(problem)
  }
  if (!(thrown instanceof CutoverError)) {
    const detail = thrown instanceof Error ? thrown.stack ?? `${thrown.name}: ${thrown.message}` : String(thrown)
    return fail(`threw something other than a CutoverError: ${detail}`)
  }
  const problem = checkIssues(thrown, input)
  if (problem !== undefined) return fail(problem)
  if (input.mustLoad) {
    return fail(`refused a generated valid scenario (${thrown.code}): ${thrown.issues.map((issue) => `${issue.location.field ?? ''} ${issue.message}`).join('; ')}`)
  }
  return { outcome: 'refused', code: thrown.code, issues: thrown.issues.length, ms, notes: noteIssues(thrown, input.text) }
}

// ---------------------------------------------------------------------------------------------------------------------
// The worker runner: every case gets a deadline, and a case past it is a hang, not a stuck test run
// ---------------------------------------------------------------------------------------------------------------------

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads')
// warnings (e.g. yaml's "Keys with collection values will be stringified") are counted, not printed
process.removeAllListeners('warning')
let warnings = 0
process.on('warning', () => { warnings++ })
import(workerData.tsxApi).then((tsx) => { tsx.register(); return import(workerData.oracle) }).then((oracle) => {
  const frames = oracle.measureStackFrames()
  parentPort.on('message', ({ id, input }) => {
    const before = warnings
    let verdict
    try { verdict = oracle.judgeScenario(input, frames) } catch (error) { verdict = { outcome: 'failure', reason: 'the oracle failed: ' + (error && error.stack || String(error)), ms: 0 } }
    if (warnings > before && verdict.outcome !== 'failure') verdict.notes.push('printed a Node warning')
    parentPort.postMessage({ id, verdict })
  })
  parentPort.postMessage({ ready: true, frames })
}, (error) => parentPort.postMessage({ fatal: String(error && error.stack || error) }))
`

/** URL of tsx's ESM register API, which lets the worker import this TypeScript file. */
function tsxEsmApi (): string {
  const require = createRequire(import.meta.url)
  const packageFile = require.resolve('tsx/package.json')
  const manifest = JSON.parse(readFileSync(packageFile, 'utf8')) as { exports: Record<string, { import: { default: string } }> }
  return pathToFileURL(join(dirname(packageFile), manifest.exports['./esm/api']!.import.default)).href
}

/** How many times its deadline a case may take on the clock while the machine is too busy to give it the CPU time. */
export const maxDeadlineStretch = 20

/** Runs cases in a worker thread with a deadline each; a worker that hangs or dies is replaced. */
export class ScenarioFuzzRunner {
  private worker: Worker | undefined
  private nextId = 0
  private pending = new Map<number, (verdict: Verdict) => void>()

  private constructor (private readonly deadlineMs: number) {}

  /** Starts a runner whose cases must finish within `deadlineMs`. */
  static async start (deadlineMs: number): Promise<ScenarioFuzzRunner> {
    const runner = new ScenarioFuzzRunner(deadlineMs)
    await runner.spawn()
    return runner
  }

  private async spawn (): Promise<void> {
    const worker = new Worker(workerSource, {
      eval: true,
      workerData: { tsxApi: tsxEsmApi(), oracle: import.meta.url },
      // the heap a CLI process gets by default, and the stack of a main thread (workers get 4 MB)
      resourceLimits: { maxOldGenerationSizeMb: 4096, stackSizeMb: 1 },
      stderr: false
    })
    this.worker = worker
    await new Promise<void>((resolveReady, rejectReady) => {
      const onMessage = (message: { ready?: boolean, fatal?: string }): void => {
        if (message.ready === true) { worker.off('message', onMessage); resolveReady() }
        if (message.fatal !== undefined) rejectReady(new Error(`fuzz worker failed to start: ${message.fatal}`))
      }
      worker.on('message', onMessage)
      worker.once('error', rejectReady)
    })
    worker.on('message', (message: { id?: number, verdict?: Verdict }) => {
      if (message.id === undefined || message.verdict === undefined) return
      this.pending.get(message.id)?.(message.verdict)
      this.pending.delete(message.id)
    })
    const failAll = (reason: string): void => {
      for (const settle of this.pending.values()) settle({ outcome: 'failure', reason, ms: 0 })
      this.pending.clear()
    }
    worker.on('error', (error) => failAll(`the loader killed its worker thread: ${error.stack ?? error.message}`))
    worker.on('exit', (code) => { if (this.worker === worker) { this.worker = undefined; failAll(`the worker thread exited with code ${code}`) } })
  }

  /**
   * Judges one input; resolves with a failure verdict if it takes longer than the deadline: `deadlineMs`, or the
   * runner's plus 15 s per MB of text (yaml needs up to ~7 s per MB when every token is an error; quadratic work
   * overshoots any such allowance). The deadline counts the CPU time this process got, not the clock, so a busy
   * machine (CI runs the full fuzz beside the tests, at the lowest priority) cannot fail a case; a case that waits
   * without working fails after {@link maxDeadlineStretch} times the deadline on the clock.
   */
  async check (input: CaseInput, deadlineMs = this.deadlineMs + input.text.length * 0.015): Promise<Verdict> {
    if (this.worker === undefined) await this.spawn()
    const worker = this.worker!
    const id = this.nextId++
    let timer: NodeJS.Timeout | undefined
    const cpuAtStart = process.cpuUsage()
    const startedMs = performance.now()
    const verdict = await new Promise<Verdict>((settle) => {
      this.pending.set(id, settle)
      const expire = (): void => {
        const cpuMs = (({ user, system }) => (user + system) / 1000)(process.cpuUsage(cpuAtStart))
        const wallMs = performance.now() - startedMs
        if (cpuMs < deadlineMs && wallMs < maxDeadlineStretch * deadlineMs) {
          timer = setTimeout(expire, Math.max(50, deadlineMs - cpuMs))
          return
        }
        this.pending.delete(id)
        settle({ outcome: 'failure', reason: `no answer within ${deadlineMs.toFixed(0)} ms of CPU time (${wallMs.toFixed(0)} ms on the clock): a hang or a runaway computation`, ms: wallMs })
      }
      timer = setTimeout(expire, deadlineMs)
      worker.postMessage({ id, input })
    })
    clearTimeout(timer)
    if (verdict.outcome === 'failure' && verdict.reason.startsWith('no answer within')) {
      this.worker = undefined
      await worker.terminate()
    }
    return verdict
  }

  /** Stops the worker. */
  async close (): Promise<void> {
    const worker = this.worker
    this.worker = undefined
    await worker?.terminate()
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Running the property and reporting
// ---------------------------------------------------------------------------------------------------------------------

/** Outcome counts of a run. */
export class FuzzTally {
  loaded = 0
  refused = new Map<string, number>()
  notes = new Map<string, number>()
  slowest = { ms: 0, text: '' }

  /** Counts one verdict. */
  add (verdict: Verdict, input: CaseInput): void {
    if (verdict.ms > this.slowest.ms) this.slowest = { ms: verdict.ms, text: input.text }
    if (verdict.outcome === 'failure') return
    if (verdict.ms > 1000) this.notes.set('took over 1 s', (this.notes.get('took over 1 s') ?? 0) + 1)
    if (verdict.outcome === 'loaded') this.loaded++
    else this.refused.set(verdict.code, (this.refused.get(verdict.code) ?? 0) + 1)
    for (const note of verdict.notes) this.notes.set(note, (this.notes.get(note) ?? 0) + 1)
  }

  get refusedTotal (): number {
    return [...this.refused.values()].reduce((sum, n) => sum + n, 0)
  }
}

/** The property: every case loads, or is refused with a located CutoverError, within the deadline, touching nothing unnamed. */
export function scenarioProperty (
  runner: ScenarioFuzzRunner, fixtures: FuzzFixtures, limits: FuzzLimits, tally: FuzzTally,
  onFirstFailure?: (input: CaseInput, reason: string) => void
): fc.IAsyncPropertyWithHooks<[FuzzCase]> {
  let failed = false
  return fc.asyncProperty(fuzzCaseArb(fixtures, limits), async (fuzzCase) => {
    const input = buildCaseInput(fuzzCase, fixtures)
    const verdict = await runner.check(input)
    tally.add(verdict, input)
    if (verdict.outcome !== 'failure') return
    if (!failed) onFirstFailure?.(input, verdict.reason)
    failed = true
    throw new Error(verdict.reason)
  })
}

/** A failed run as a reader wants it: the reason, the shrunk input text, and how to replay it. */
export function describeFailure (details: fc.RunDetails<[FuzzCase]>, fixtures: FuzzFixtures, replay: string): string {
  if (!details.failed) return 'no failure'
  if (details.counterexample === null) return `the run failed without a counterexample (interrupted: ${String(details.interrupted)})`
  const [fuzzCase] = details.counterexample
  const input = buildCaseInput(fuzzCase, fixtures)
  const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)
  const shown = input.text.length > 4000 ? `${input.text.slice(0, 4000)}… (${input.text.length} characters)` : input.text
  return [
    `scenario loader property failed after ${details.numRuns} run(s) and ${details.numShrinks} shrink(s)`,
    `reason: ${error}`,
    `file: ${input.file}  stack share: ${input.stackShare}  must load: ${String(input.mustLoad)}`,
    'input (JSON-escaped):',
    JSON.stringify(shown),
    'input:',
    shown,
    `replay: ${replay} --seed ${details.seed} --path ${details.counterexamplePath}`
  ].join('\n')
}

/** Hazard sizes of the fast slice run by `npm test`. */
export const fastSliceLimits: FuzzLimits = { maxRepeat: 3000, maxDepth: 400 }
/** Hazard sizes of the full run (`npm run fuzz`); its large inputs (largeHostileDocuments) go to megabytes. */
export const fullRunLimits: FuzzLimits = { maxRepeat: 20_000, maxDepth: 2000 }

/** Repeats `unit` until `budget` characters. */
function fill (unit: (i: number) => string, budget: number): string {
  const parts: string[] = []
  let length = 0
  for (let i = 0; length < budget; i++) {
    const part = unit(i)
    parts.push(part)
    length += part.length
  }
  return parts.join('')
}

/**
 * Inputs of about `budget` characters (at most just under loadScenario's 5 MB limit), shaped to hit anything
 * quadratic in the parser, the schema, templates or locations: at 2 MB linear work takes seconds, quadratic work hours.
 */
export function largeHostileDocuments (budget: number): Array<{ label: string, text: string }> {
  const mb = `${(budget / 1e6).toFixed(0)} MB`
  return [
    { label: 'unknown top-level keys', text: minimalScenario({ extra: fill((i) => `k${i}: 1\n`, budget - 200) }) },
    { label: 'the same key over and over', text: fill(() => 'a: 1\n', budget) },
    { label: 'duplicate keys inside one flow map', text: `x: {${fill(() => 'a: 1, ', budget)}}\n` },
    { label: `a ${mb} flood of "{{" in a request path`, text: minimalScenario({ path: `/${'{{'.repeat(Math.floor(budget / 2))}` }) },
    { label: `a ${mb} run of spaces inside a rate`, text: minimalScenario().replace('rate: 1', `rate: "1${' '.repeat(budget)}x"`) },
    { label: `a ${mb} run of spaces inside a growth limit`, text: minimalScenario({ extra: `checks: { leak: { maxGrowth: "5${' '.repeat(budget)}x" } }\n` }) },
    { label: `a ${mb} run of spaces inside a memory limit`, text: minimalScenario().replace('3001" }', `3001", monitor: { memoryLimit: "1${' '.repeat(budget)}x" } }`) },
    { label: `a ${mb} name`, text: minimalScenario().replace('name: t', `name: ${'9'.repeat(budget)}`) },
    { label: `a ${mb} unknown key`, text: minimalScenario({ extra: `${'k'.repeat(budget)}: 1\n` }) },
    { label: `a ${mb} comment`, text: minimalScenario({ extra: `# ${'x'.repeat(budget)}\n` }) },
    { label: 'block sequences nested a million deep and more', text: `x:\n  ${'- '.repeat(Math.floor(budget / 2))}x\n` },
    { label: 'flow lists nested a million deep and more', text: `x: ${'['.repeat(Math.floor(budget / 2))}\n` },
    { label: 'a JSON body of a list of numbers', text: minimalScenario({ json: `[${fill(() => '1, ', budget - 200)}1]` }) },
    { label: 'many requests with broken templates', text: minimalScenario().replace('  - { name: a, path: /x }\n', fill((i) => `  - { name: r${i}, path: "/{{ nope${i} }}" }\n`, budget - 200)) },
    { label: 'many headers with broken templates in one request', text: minimalScenario().replace('path: /x }', `path: /x, headers: { ${fill((i) => `h${i}: "{{ x }}", `, budget - 200)} } }`) },
    { label: 'many template expressions in one path', text: minimalScenario({ path: `/${fill(() => '{{ uuid() }}', budget - 200)}` }) },
    { label: 'one template call with very many arguments', text: minimalScenario({ path: `/{{ pick(${fill(() => '"a", ', budget * 0.7)}"a") }}` }) },
    { label: 'a template name of very many dotted parts', text: minimalScenario({ path: `/{{ env${fill(() => '.a', budget - 200)} }}` }) },
    { label: 'many anchors and aliases', text: minimalScenario({ extra: `x: [${fill((i) => `&a${i} 1, *a${i}, `, budget - 200)}]\n` }) }
  ]
}
