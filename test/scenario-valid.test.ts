import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import YAML from 'yaml'
import { CutoverError } from '../src/core/errors.js'
import { loadScenario, parseScenario } from '../src/scenario/load.js'
import { scenarioJsonSchema } from '../src/scenario/write-schema.js'

const path = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url))

describe('valid scenarios', () => {
  it('accepts the SPEC §2 example exactly as written, with units resolved', () => {
    const scenario = loadScenario(path('./fixtures/spec-example.yaml'))
    const config = scenario.config
    expect(config.name).toBe('catalog')
    expect(Object.keys(config.targets)).toEqual(['old', 'new'])
    expect(config.phases.map((p) => [p.name, p.duration])).toEqual([
      ['warmup', 10_000], ['ramp', 30_000], ['steady', 120_000], ['flood', 20_000], ['cooldown', 20_000]
    ])
    expect(config.phases[1]?.rate).toEqual({ from: 50, to: 400 })
    expect(config.phases[3]?.connections).toBe(32)
    expect(config.checks?.slo).toEqual({ p99: 250, errorRate: 0.005 })
    expect(config.checks?.compare).toEqual({
      p99: { kind: 'relative', fraction: 0.1 },
      throughput: { kind: 'relative', fraction: -0.05 },
      errorRate: { kind: 'points', fraction: 0.001 }
    })
    expect(config.checks?.leak).toEqual({ maxGrowth: 5e6 / 60 })
    expect(config.capacity).toEqual({ start: 100, step: 100, stepDuration: 20_000, max: 5000 })
    expect(scenario.requests.map((r) => [r.name, r.method, r.weight])).toEqual([['get-product', 'GET', 7], ['search', 'GET', 2], ['create-order', 'POST', 1]])
    expect(scenario.targets.old?.url.href).toBe('http://127.0.0.1:3001/')
    expect(scenario.targets.old?.env).toEqual({ PORT: '3001' })
  })

  it('reads `checks.leak: { maxGrowth: auto }` as `auto`, and says which forms exist otherwise', () => {
    const base = 'name: s\ntargets: { old: { url: http://127.0.0.1:3001 } }\nrequests: [{ name: home, path: / }]\nphases: [{ name: p, duration: 10s, rate: 5 }]\n'
    const load = (leak: string): unknown => parseScenario(`${base}checks:\n  leak: ${leak}\n`, 'scenario.yaml').config.checks?.leak
    expect(load('{ maxGrowth: auto }')).toBe('auto')
    expect(load('auto')).toBe('auto')
    expect(load('{ maxGrowth: 2MB/min }')).toEqual({ maxGrowth: 2e6 / 60 })
    let caught: unknown
    try { load('yes') } catch (error) { caught = error }
    expect(caught).toBeInstanceOf(CutoverError)
    expect((caught as CutoverError).issues[0]?.message).toBe('expected `auto` or a growth limit such as `{ maxGrowth: 5MB/min }`: got "yes"')
  })

  it('accepts the same scenario written as JSON', () => {
    const yaml = loadScenario(path('./fixtures/spec-example.yaml'))
    const data: unknown = YAML.parse(readFileSync(path('./fixtures/spec-example.yaml'), 'utf8'))
    const json = parseScenario(JSON.stringify(data, null, 2), '/tmp/spec.json')
    expect(json.config).toEqual(yaml.config)
  })

  it('accepts the bundled demo and renders env templates in target URLs', () => {
    const demo = loadScenario(path('../scenarios/demo/demo.yaml'), { env: { CUTOVER_DEMO_OLD_PORT: '4100' } })
    expect(demo.targets.old?.url.port).toBe('4100')
    expect(demo.targets.old?.env.PORT).toBe('4100')
    expect(demo.targets.new?.url.port).toBe('3002')
    expect(demo.data.get('shoppers')?.rows.length).toBe(20)
  })

  it('publishes a JSON Schema generated from the same definitions', () => {
    const schema = scenarioJsonSchema()
    const shipped = JSON.parse(readFileSync(path('../schema/scenario.schema.json'), 'utf8')) as Record<string, unknown>
    expect(shipped).toEqual(schema)
    const properties = schema.properties as Record<string, unknown>
    expect(Object.keys(properties)).toEqual(expect.arrayContaining(['name', 'targets', 'requests', 'phases', 'checks', 'journeys', 'capacity', 'shadow', 'sampling', 'data']))
    expect(schema.additionalProperties).toBe(false)
  })
})

