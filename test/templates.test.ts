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

  it('base64, sha256 and hmacSha256 give the published test vectors', () => {
    const c = ctx()
    // RFC 4648 section 10: BASE64("foobar") = "Zm9vYmFy"
    expect(compileTemplate('{{ base64("foobar") }}', scope).render(c)).toBe('Zm9vYmFy')
    // FIPS 180-2 appendix B.1: SHA-256("abc")
    expect(compileTemplate('{{ sha256("abc") }}', scope).render(c)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    // RFC 4231 test case 2: HMAC-SHA-256(key "Jefe", "what do ya want for nothing?")
    expect(compileTemplate('{{ hmacSha256("Jefe", "what do ya want for nothing?") }}', scope).render(c)).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843')
    // the same digest as base64 (python3: base64.b64encode(hmac.new(b"Jefe", msg, "sha256").digest()))
    expect(compileTemplate('{{ hmacSha256("Jefe", "what do ya want for nothing?", "base64") }}', scope).render(c)).toBe('W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=')
    // nested: a secret from the environment signs a captured value
    // python3: hmac.new(b"s3cret", b"9.5", "sha256").hexdigest()
    expect(compileTemplate('{{ hmacSha256(env.TOKEN, price) }}', scope).render(c)).toBe('56fa322716e92ea6a56648aa1a07ecbfb35de7d25a9c0095c09e3643da1d60c5')
    // pure functions are allowed where only env is (target URLs, start env)
    expect(compileTemplate('{{ base64(env.TOKEN) }}', { ...scope, dynamic: false }).render(c)).toBe('czNjcmV0')
  })

  it('randomString draws from the seeded random, within its alphabet and length; isoTime is now in ISO 8601', () => {
    const template = compileTemplate('{{ randomString(12) }}', scope)
    const first = ctx()
    const values = Array.from({ length: 50 }, () => template.render(first))
    expect(values.every((value) => /^[A-Za-z0-9]{12}$/.test(value))).toBe(true)
    expect(new Set(values).size).toBe(50)
    const again = ctx()
    expect(Array.from({ length: 50 }, () => template.render(again))).toEqual(values)
    expect(compileTemplate('{{ randomString(64, "ab") }}', scope).render(ctx())).toMatch(/^[ab]{64}$/)
    const before = Date.now()
    const stamp = Date.parse(compileTemplate('{{ isoTime() }}', scope).render(ctx()))
    expect(stamp).toBeGreaterThanOrEqual(before - 1)
    expect(stamp).toBeLessThanOrEqual(Date.now())
    const inAnHour = Date.parse(compileTemplate('{{ isoTime(3600) }}', scope).render(ctx()))
    expect(inAnHour - Date.now()).toBeGreaterThan(3_590_000)
    expect(compileTemplate('{{ isoTime() }}', scope).render(ctx())).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    expect(() => compileTemplate('{{ randomString() }}', scope)).toThrow(/randomString\(length\)/)
    expect(() => compileTemplate('{{ isoTime() }}', { ...scope, dynamic: false })).toThrow(/unknown function "isoTime"/)
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
