// Hostile input for the scenario loader: a seeded fast slice of the fuzz run (the full run is `npm run fuzz`,
// bench/fuzz-scenarios.ts), and the attacks named in issue 8 as plain tests. Every input must load, or be refused with
// a CutoverError whose issues carry file, line and (for schema and template problems) field; never anything else.
import { readFileSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CutoverError } from '../src/core/errors.js'
import { loadScenario, maxScenarioBytes, parseScenario, type LoadedScenario } from '../src/scenario/load.js'
import {
  createFuzzFixtures, describeFailure, fastSliceLimits, FuzzTally, hostileDocuments, minimalScenario, ScenarioFuzzRunner, scenarioProperty,
  watchFileReads, type FuzzFixtures
} from './support/scenario-arbitraries.js'

const seed = 20_240_808
let fixtures: FuzzFixtures
let runner: ScenarioFuzzRunner

beforeAll(async () => {
  fixtures = createFuzzFixtures()
  // generous: a case takes milliseconds; the deadline only turns a hang into a failure with its input
  runner = await ScenarioFuzzRunner.start(10_000)
})

afterAll(async () => {
  await runner?.close()
  fixtures?.remove()
})

const env = { PORT: '3001' }

function load (text: string): LoadedScenario {
  return parseScenario(text, fixtures.scenarioFile, { env })
}

function refusal (text: string): CutoverError {
  try {
    load(text)
  } catch (error) {
    if (error instanceof CutoverError) return error
    throw error
  }
  throw new Error('expected the scenario to be refused')
}

/** Line (1-based) of the first occurrence of `needle` in `text`. */
function lineOf (text: string, needle: string): number {
  return text.slice(0, text.indexOf(needle)).split('\n').length
}

async function judge (text: string, stackShare = 0): Promise<string> {
  const verdict = await runner.check({ text, file: fixtures.scenarioFile, mustLoad: false, stackShare })
  return verdict.outcome === 'failure' ? `FAILURE: ${verdict.reason}` : verdict.outcome === 'refused' ? `refused ${verdict.code}` : 'loaded'
}

function aliasBomb (key: string, levels = 9, width = 9): string {
  let text = `${key}:\n  l0: &l0 ["lol"]\n`
  for (let level = 1; level <= levels; level++) text += `  l${level}: &l${level} [${Array.from({ length: width }, () => `*l${level - 1}`).join(', ')}]\n`
  return text
}

describe('scenario loader: seeded fuzzing', () => {
  it(`1,000 generated and mutated scenarios load or are refused with located CutoverErrors (seed ${seed})`, async () => {
    const tally = new FuzzTally()
    const details = await fc.check(scenarioProperty(runner, fixtures, fastSliceLimits, tally), { seed, numRuns: 1000 })
    if (details.failed) expect.fail(describeFailure(details, fixtures, 'npx tsx bench/fuzz-scenarios.ts --small --runs 1000'))
    // the generators still produce valid scenarios and every kind of refusal, not only noise
    expect(tally.loaded, 'valid scenarios').toBeGreaterThan(150)
    expect(tally.refused.get('SCENARIO_INVALID') ?? 0, 'schema refusals').toBeGreaterThan(100)
    expect(tally.refused.get('SCENARIO_SYNTAX') ?? 0, 'syntax refusals').toBeGreaterThan(50)
    expect(tally.refused.get('TEMPLATE') ?? 0, 'template refusals').toBeGreaterThan(0)
  })

  it.each(hostileDocuments.map((text, index) => [index, JSON.stringify(text.slice(0, 50)), text] as const))(
    'hostile document %i (%s) loads or is refused with located issues', async (_index, _label, text) => {
      expect(await judge(text)).not.toMatch(/^FAILURE/)
    })
})

describe('templates cannot reach the file system or the process', () => {
  const escapes = [
    '{{ process.env.X }}', "{{ require('fs') }}", "{{ constructor.constructor('return process')() }}", '{{ process }}',
    '{{ globalThis.process }}', '{{ this }}', "{{ import('fs') }}", '{{ eval("1") }}', '{{ Function("return 1")() }}',
    // names inherited from Object.prototype are not template functions or variables either
    '{{ constructor() }}', '{{ toString() }}', '{{ __proto__() }}', '{{ hasOwnProperty("x") }}', '{{ valueOf() }}', '{{ __proto__ }}'
  ]
  const fields: Array<[field: string, build: (template: string) => string]> = [
    ['requests[0].path', (template) => minimalScenario({ path: `/${template}` })],
    ['requests[0].headers.x-token', (template) => minimalScenario().replace('path: /x }', `path: /x, headers: { x-token: ${JSON.stringify(template)} } }`)],
    ['requests[0].body', (template) => minimalScenario().replace('path: /x }', `path: /x, body: ${JSON.stringify(template)} }`)],
    ['requests[0].json.id', (template) => minimalScenario({ json: `{ id: ${JSON.stringify(template)} }` })],
    ['targets.old.url', (template) => minimalScenario({ url: `http://127.0.0.1:3001/${template}` })],
    ['targets.old.start.env.V', (template) => minimalScenario({ startEnv: template })],
    ['journeys[0].steps[0].path', (template) => minimalScenario({ extra: `journeys:\n  - name: j\n    steps:\n      - path: ${JSON.stringify(`/${template}`)}\n` })]
  ]
  const cases = escapes.flatMap((template) => fields.map(([field, build]) => [template, field, build(template)] as const))

  it.each(cases)('%s in %s is refused at its location', (template, field, text) => {
    const error = refusal(text)
    expect(error.code).toBe('TEMPLATE')
    const issue = error.issues.find((candidate) => candidate.location.field === field)
    expect(issue, JSON.stringify(error.issues)).toBeDefined()
    expect(issue?.location.file).toBe(fixtures.scenarioFile)
    expect(issue?.location.line).toBe(lineOf(text, template.slice(0, 6)))
  })

  it('env lookups of names inherited from Object.prototype find nothing', () => {
    const text = minimalScenario({ url: 'http://127.0.0.1:3001/{{ env.constructor }}{{ env("toString") }}', startEnv: '{{ env.__proto__ }}{{ env("constructor", "fallback") }}' })
    const loaded = load(text)
    expect(loaded.targets.old?.url.href).toBe('http://127.0.0.1:3001/')
    expect(loaded.targets.old?.env).toEqual({ V: 'fallback' })
  })

  it('data columns named like Object.prototype members render empty, not JavaScript source', () => {
    const text = minimalScenario({ path: '/{{ users.constructor }}{{ users.__proto__ }}{{ users.toString }}-{{ users.id }}', extra: 'data: { users: { file: users.csv } }\n' })
    const loaded = load(text)
    const request = loaded.requests[0]!
    const rendered = request.path.render({ random: () => 0, env: () => undefined, row: (source) => loaded.data.get(source)!.rows[0]!, vars: {}, next: () => 0 })
    expect(rendered).toBe('/-u-1')
  })

  it('reads no file but the data files the scenario names', () => {
    const paths: string[] = []
    watchFileReads(paths, () => load(minimalScenario({ extra: 'data: { users: { file: users.csv } }\n' })))
    expect(new Set(paths)).toEqual(new Set([join(fixtures.dir, 'users.csv')]))
  })

  it.each(['.', 'folder', '/dev/zero', '/dev/null'])('refuses the data file %s, which is not a regular file, without reading it', (file) => {
    const paths: string[] = []
    const text = minimalScenario({ extra: `data: { users: { file: ${JSON.stringify(file)} } }\n` })
    let error: unknown
    try { watchFileReads(paths, () => load(text)) } catch (caught) { error = caught }
    expect(error).toBeInstanceOf(CutoverError)
    expect((error as CutoverError).code).toBe('DATA_FILE')
    expect((error as CutoverError).issues[0]?.location).toMatchObject({ line: lineOf(text, 'data:'), field: 'data.users.file' })
    expect(paths.filter((path) => path !== join(fixtures.dir, file) && path !== file)).toEqual([])
  })
})

describe('bounded resources', () => {
  // yaml's toJS counts how often each anchor is expanded; with maxAliasCount 100 it throws a ReferenceError
  // ("Excessive alias count indicates a resource exhaustion attack") long before 9^9 strings are built
  it('refuses a billion-laughs alias bomb quickly with a clear CutoverError', async () => {
    const text = minimalScenario({ extra: aliasBomb('description') })
    expect(await judge(text)).toBe('refused SCENARIO_SYNTAX')
    const error = refusal(text)
    expect(error.issues[0]?.message).toMatch(/alias/i)
    expect(error.issues[0]?.location).toMatchObject({ file: fixtures.scenarioFile, line: 1 })
  })

  it('refuses an alias bomb in a request body, where any JSON is allowed', async () => {
    const levels = Array.from({ length: 9 }, (_, level) => `l${level + 1}: &l${level + 1} [${Array.from({ length: 9 }, () => `*l${level}`).join(', ')}]`)
    const text = minimalScenario({ json: `{ l0: &l0 ["lol"], ${levels.join(', ')} }` })
    expect(await judge(text)).toBe('refused SCENARIO_SYNTAX')
  })

  it('still loads ordinary anchors and aliases', () => {
    const text = minimalScenario().replace('  - { name: a, path: /x }', '  - { name: a, path: /x, headers: &h { accept: application/json } }\n  - { name: b, path: /y, headers: *h }')
    const loaded = load(text)
    expect(loaded.requests.map((request) => request.headers.map(([name]) => name))).toEqual([['accept'], ['accept']])
  })

  it('refuses an alias inside the node it refers to, at the alias', () => {
    const text = minimalScenario({ json: '&j [1, *j]' })
    const error = refusal(text)
    expect(error.code).toBe('SCENARIO_SYNTAX')
    expect(error.issues[0]?.location).toMatchObject({ line: lineOf(text, '*j'), field: 'requests[0].json[1]' })
  })

  it('refuses a scenario file over 5 MB before reading it', () => {
    const file = join(fixtures.dir, 'huge.yaml')
    writeFileSync(file, '')
    truncateSync(file, maxScenarioBytes + 1)
    const paths: string[] = []
    let error: unknown
    try { watchFileReads(paths, () => loadScenario(file, { env })) } catch (caught) { error = caught }
    expect(error).toBeInstanceOf(CutoverError)
    expect((error as CutoverError).code).toBe('SCENARIO_TOO_LARGE')
    expect(paths, 'only stat, never read').toEqual([file])
  })

  it('reads a scenario of exactly 5 MB', () => {
    const file = join(fixtures.dir, 'five-mb.yaml')
    const text = minimalScenario()
    writeFileSync(file, `${text}# ${'x'.repeat(maxScenarioBytes - Buffer.byteLength(text) - 3)}\n`)
    expect(readFileSync(file).length).toBe(maxScenarioBytes)
    expect(loadScenario(file, { env }).requests).toHaveLength(1)
  })

  const nestings: Array<[string, (depth: number) => string]> = [
    ['flow lists', (depth) => `x: ${'['.repeat(depth)}${']'.repeat(depth)}\n`],
    ['flow maps', (depth) => `x: ${'{a: '.repeat(depth)}1${'}'.repeat(depth)}\n`],
    ['block lists', (depth) => `x:\n  ${'- '.repeat(depth)}x\n`],
    ['a JSON request body', (depth) => minimalScenario({ json: `${'['.repeat(depth)}1${']'.repeat(depth)}` })],
    ['template calls', (depth) => minimalScenario({ path: `/{{ ${'pick('.repeat(depth)}"x"${')'.repeat(depth)} }}` })],
    ['template parentheses', (depth) => minimalScenario({ path: `/{{ ${'('.repeat(depth)}1${')'.repeat(depth)} }}` })]
  ]
  const deepCases = nestings.flatMap(([label, build]) => [100, 1000, 100_000].flatMap((depth) => [0, 0.5, 0.7].map((share) => [label, depth, share, build] as const)))

  it.each(deepCases)('%s nested %i deep (stack %f used) load or are refused with a CutoverError', async (_label, depth, share, build) => {
    expect(await judge(build(depth), share)).not.toMatch(/^FAILURE/)
  })
})
