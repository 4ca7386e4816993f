import { describe, expect, it } from 'vitest'
import { seededRandom } from '../src/core/random.js'
import { compileTemplate, TemplateError, type RenderContext } from '../src/scenario/templates.js'

const scope = { dataSources: new Set(['users']), variables: new Set(['price']), dynamic: true }
const ctx = (overrides: Partial<RenderContext> = {}): RenderContext => ({
  random: seededRandom(7),
  env: (name) => ({ HOST: 'example', TOKEN: 's3cret' } as Record<string, string>)[name],
  row: () => ({ id: 'u-1', age: 42 }),
  vars: { price: 9.5 },
  next: (() => { let n = 0; return () => ++n })(),
  ...overrides
})

describe('templates', () => {
  it('randomInt stays within its bounds and is reproducible with a seed', () => {
    const template = compileTemplate('/p/{{ randomInt(1, 3) }}', scope)
    const first = ctx()
    const values = Array.from({ length: 300 }, () => template.render(first))
    expect(new Set(values)).toEqual(new Set(['/p/1', '/p/2', '/p/3']))
    const again = ctx()
    expect(Array.from({ length: 300 }, () => template.render(again))).toEqual(values)
  })

  it('pick, env, data columns, captured variables and counters', () => {
    const c = ctx()
    expect(compileTemplate('{{ pick("a") }}-{{ env("HOST") }}-{{ env.TOKEN }}', scope).render(c)).toBe('a-example-s3cret')
    expect(compileTemplate('{{ env("MISSING", "dflt") }}', scope).render(c)).toBe('dflt')
    expect(compileTemplate('{{ users.id }}/{{ users.age }}', scope).render(c)).toBe('u-1/42')
    expect(compileTemplate('{{ price }}', scope).renderValue(c)).toBe(9.5)
    const counter = compileTemplate('{{ counter() }}', scope)
    expect([counter.render(c), counter.render(c)]).toEqual(['1', '2'])
  })

  it('a string that is one expression keeps its type', () => {
    expect(compileTemplate('{{ randomInt(5, 5) }}', scope).renderValue(ctx())).toBe(5)
    expect(compileTemplate('n{{ randomInt(5, 5) }}', scope).renderValue(ctx())).toBe('n5')
  })

  it('text without templates is constant', () => {
    const template = compileTemplate('/health', scope)
    expect(template.constant).toBe(true)
    expect(template.render(ctx())).toBe('/health')
  })

  it.each([
    ['{{ readFile("/etc/passwd") }}', /unknown function "readFile"/],
    ['{{ process.env.HOME }}', /unknown name "process.env.HOME"/],
    ['{{ randomInt(1) }}', /randomInt takes 2 argument/],
    ['{{ randomInt(1, 2 }}', /expected "\)"/],
    ['{{ constructor }}', /unknown name "constructor"/],
    ['{{ users }}', /write users.<column>/],
    ['{{ 1 + 2 }}', /unexpected character "\+"/]
  ])('refuses %s', (text, message) => {
    expect(() => compileTemplate(text, scope)).toThrow(TemplateError)
    expect(() => compileTemplate(text, scope)).toThrow(message)
  })

  it('static templates (target URLs) allow env only', () => {
    const staticScope = { dataSources: new Set<string>(), variables: new Set<string>(), dynamic: false }
    expect(compileTemplate('http://{{ env("HOST") }}:80', staticScope).render(ctx())).toBe('http://example:80')
    expect(() => compileTemplate('{{ randomInt(1, 2) }}', staticScope)).toThrow(/unknown function "randomInt"/)
  })
})

describe('template names that exist on every object', () => {
  it.each(['toString', 'constructor', 'hasOwnProperty', '__proto__', 'valueOf'])('%s() is an unknown function', (name) => {
    expect(() => compileTemplate(`{{ ${name}() }}`, scope)).toThrow(/unknown function/)
  })
})
