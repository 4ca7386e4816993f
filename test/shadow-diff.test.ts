import { describe, expect, it } from 'vitest'
import type { ShadowAnswer } from '../src/shadow/answer.js'
import type { JsonValue } from '../src/shadow/canonical.js'
import { compareAnswers } from '../src/shadow/compare.js'
import { diffJson, type ArrayMode } from '../src/shadow/diff.js'
import { normalizeAnswer, type NormalizedAnswer } from '../src/shadow/normalize.js'
import { generalizeRulePath, memberPath } from '../src/shadow/paths.js'
import { compileShadowRules, type ShadowConfig, type ShadowRules } from '../src/shadow/rules.js'
import { isCutoverError } from '../src/core/errors.js'

const arrays = (modes: Record<string, ArrayMode>): Map<string, ArrayMode> => new Map(Object.entries(modes))

describe('diff kinds', () => {
  it('value, type, missing and extra as flat paths', () => {
    const before: JsonValue = { id: 1, name: 'hat', price: 10, tags: ['a'], meta: { color: 'red' } }
    const after: JsonValue = { id: 1, name: 'cap', price: '10', meta: { size: 'L' } }
    expect(diffJson(before, after)).toEqual([
      { path: '$.name', kind: 'value' },
      { path: '$.price', kind: 'type' },
      { path: '$.tags', kind: 'missing' },
      { path: '$.meta.color', kind: 'missing' },
      { path: '$.meta.size', kind: 'extra' }
    ])
  })

  it('null against a value, and object against array, are type differences', () => {
    expect(diffJson({ a: null, b: {} }, { a: 0, b: [] })).toEqual([{ path: '$.a', kind: 'type' }, { path: '$.b', kind: 'type' }])
  })

  it('array length differences are one length difference', () => {
    expect(diffJson({ items: [1, 2, 3] }, { items: [1, 2] })).toEqual([{ path: '$.items', kind: 'length' }])
  })

  it('indices become [*], so one field counts once per request', () => {
    const before: JsonValue = { items: [{ price: 1 }, { price: 2 }, { price: 3 }] }
    const after: JsonValue = { items: [{ price: 1 }, { price: 20 }, { price: 30 }] }
    expect(diffJson(before, after)).toEqual([{ path: '$.items[*].price', kind: 'value' }])
  })

  it('odd member names are quoted so the path is valid JSONPath', () => {
    expect(diffJson({ 'a b': 1, "it's": 1 }, { 'a b': 2, "it's": 2 })).toEqual([{ path: "$['a b']", kind: 'value' }, { path: "$['it\\'s']", kind: 'value' }])
    expect(memberPath('$', 'valid_name')).toBe('$.valid_name')
  })

  it('equal values in another key order are equal', () => {
    expect(diffJson({ a: 1, b: { c: 2, d: 3 } }, { b: { d: 3, c: 2 }, a: 1 })).toEqual([])
  })

  it('a top-level text body compared as JSON scalar', () => {
    expect(diffJson('x', 'y')).toEqual([{ path: '$', kind: 'value' }])
  })
})

describe('array modes', () => {
  const before: JsonValue = { items: [{ id: 1, price: 5 }, { id: 2, price: 6 }, { id: 3, price: 7 }] }
  const reordered: JsonValue = { items: [{ id: 3, price: 7 }, { id: 1, price: 5 }, { id: 2, price: 6 }] }

  it('ordered (default): a pure reordering is one order difference', () => {
    expect(diffJson(before, reordered)).toEqual([{ path: '$.items', kind: 'order' }])
  })

  it('ordered: a changed element in place is a field difference, not an order one', () => {
    const after: JsonValue = { items: [{ id: 1, price: 5 }, { id: 2, price: 60 }, { id: 3, price: 7 }] }
    expect(diffJson(before, after)).toEqual([{ path: '$.items[*].price', kind: 'value' }])
  })

  it('unordered: a reordering is no difference; a changed element still is', () => {
    expect(diffJson(before, reordered, arrays({ '$.items': 'unordered' }))).toEqual([])
    const changed: JsonValue = { items: [{ id: 3, price: 7 }, { id: 1, price: 50 }, { id: 2, price: 6 }] }
    expect(diffJson(before, changed, arrays({ '$.items': 'unordered' }))).toEqual([{ path: '$.items[*].price', kind: 'value' }])
  })

  it('unordered compares multisets: duplicates count', () => {
    expect(diffJson({ t: ['a', 'a', 'b'] }, { t: ['a', 'b', 'b'] }, arrays({ '$.t': 'unordered' }))).toEqual([{ path: '$.t[*]', kind: 'value' }])
  })

  it('keyed: elements matched by id whatever their order; missing and extra elements', () => {
    const keyed = arrays({ '$.items': { key: 'id' } })
    expect(diffJson(before, reordered, keyed)).toEqual([])
    const after: JsonValue = { items: [{ id: 3, price: 70 }, { id: 4, price: 8 }, { id: 1, price: 5 }] }
    expect(diffJson(before, after, keyed)).toEqual([
      { path: '$.items[*]', kind: 'missing' },
      { path: '$.items[*].price', kind: 'value' },
      { path: '$.items[*]', kind: 'extra' }
    ])
  })

  it('nested array rules use generalised paths', () => {
    expect(generalizeRulePath('$.orders[*].lines')).toBe('$.orders[*].lines')
    expect(generalizeRulePath('$.orders[0].lines')).toBe('$.orders[*].lines')
    const a: JsonValue = { orders: [{ lines: [1, 2] }] }
    const b: JsonValue = { orders: [{ lines: [2, 1] }] }
    expect(diffJson(a, b)).toEqual([{ path: '$.orders[*].lines', kind: 'order' }])
    expect(diffJson(a, b, arrays({ [generalizeRulePath('$.orders[0].lines')]: 'unordered' }))).toEqual([])
  })
})

function answer (body: unknown, options: Partial<ShadowAnswer> = {}): ShadowAnswer {
  return {
    status: 200,
    headers: { 'content-type': 'application/json', ...options.headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    truncated: false,
    error: undefined,
    latencyMs: 1,
    ...options,
    ...(options.headers === undefined ? {} : { headers: { 'content-type': 'application/json', ...options.headers } })
  }
}

function rules (config: ShadowConfig = {}): ShadowRules {
  return compileShadowRules(config, 'scenario.yaml')
}

function compare (config: ShadowConfig, old: ShadowAnswer, candidate: ShadowAnswer): ReturnType<typeof compareAnswers> {
  const compiled = rules(config)
  const a: NormalizedAnswer = normalizeAnswer(old, compiled, 'old')
  const b: NormalizedAnswer = normalizeAnswer(candidate, compiled, 'new')
  return compareAnswers(a, b, compiled.headers, compiled.arrays)
}

describe('normalisation', () => {
  it('ignore: JSONPath fields leave the comparison but their differences are kept as ignored', () => {
    const differences = compare(
      { ignore: ['$.generatedAt', '$.items[*].id'] },
      answer({ generatedAt: 't1', items: [{ id: 'a', n: 1 }, { id: 'b', n: 2 }], total: 3 }),
      answer({ generatedAt: 't2', items: [{ id: 'c', n: 1 }, { id: 'd', n: 2 }], total: 3 })
    )
    expect(differences).toEqual([
      { path: '$.generatedAt', kind: 'value', ignored: true },
      { path: '$.items[*].id', kind: 'value', ignored: true }
    ])
  })

  it('ignore: a field only one side has is an ignored missing or extra', () => {
    expect(compare({ ignore: ['$.requestId'] }, answer({ requestId: 1, a: 1 }), answer({ a: 1 }))).toEqual([{ path: '$.requestId', kind: 'missing', ignored: true }])
  })

  it('masks: a pattern replaced everywhere, or under a path only', () => {
    const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
    const old = answer({ id: 'order 1b4e28ba-2fa1-11d2-883f-0016d3cca427', note: 'at 2024-01-01T10:00:00Z', at: 1700000000123 })
    const candidate = answer({ id: 'order 6fa459ea-ee8a-3ca4-894e-db77e160355e', note: 'at 2024-01-01T10:00:05Z', at: 1700000009999 })
    expect(compare({ masks: [{ pattern: uuid }] }, old, candidate).map((d) => d.path)).toEqual(['$.note', '$.at'])
    expect(compare({ masks: [{ pattern: uuid }, { pattern: '\\d\\d:\\d\\d:\\d\\d', replace: 'HH:MM:SS', path: '$.note' }, { pattern: '^\\d{13}$', replace: 'ms' }] }, old, candidate)).toEqual([])
    // a path mask leaves other fields alone
    expect(compare({ masks: [{ pattern: '\\d', path: '$.note' }] }, answer({ note: '1', other: '1' }), answer({ note: '2', other: '2' }))).toEqual([{ path: '$.other', kind: 'value', ignored: false }])
  })

  it('masks apply to text bodies', () => {
    const old = answer('served at 10:00:01', { headers: { 'content-type': 'text/plain' } })
    const candidate = answer('served at 10:00:07', { headers: { 'content-type': 'text/plain' } })
    expect(compare({}, old, candidate)).toEqual([{ path: '$', kind: 'value', ignored: false }])
    expect(compare({ masks: [{ pattern: '\\d\\d:\\d\\d:\\d\\d' }] }, old, candidate)).toEqual([])
  })

  it('renames: an old field name maps to the new one, with [*] carried over', () => {
    const old = answer({ price: 10, items: [{ qty: 1 }, { qty: 2 }] })
    const candidate = answer({ amount: 10, items: [{ quantity: 1 }, { quantity: 2 }] })
    expect(compare({}, old, candidate).map((d) => `${d.kind} ${d.path}`)).toEqual(['missing $.price', 'missing $.items[*].qty', 'extra $.items[*].quantity', 'extra $.amount'])
    expect(compare({ renames: { '$.price': '$.amount', '$.items[*].qty': '$.items[*].quantity' } }, old, candidate)).toEqual([])
    // a renamed field that now differs in value is a value difference at the new path
    expect(compare({ renames: { '$.price': '$.amount' } }, answer({ price: 10 }), answer({ amount: 11 }))).toEqual([{ path: '$.amount', kind: 'value', ignored: false }])
  })

  it('renames can move a field under another parent', () => {
    expect(compare({ renames: { '$.currency': '$.price.currency' } }, answer({ currency: 'EUR', price: { value: 1 } }), answer({ price: { value: 1, currency: 'EUR' } }))).toEqual([])
  })

  it('arrays from the shadow block', () => {
    const old = answer({ tags: ['a', 'b'], items: [{ id: 1 }, { id: 2 }] })
    const candidate = answer({ tags: ['b', 'a'], items: [{ id: 2 }, { id: 1 }] })
    expect(compare({}, old, candidate).map((d) => `${d.kind} ${d.path}`)).toEqual(['order $.tags', 'order $.items'])
    expect(compare({ arrays: { '$.tags': 'unordered', '$.items': { key: 'id' } } }, old, candidate)).toEqual([])
  })

  it('bodies that are JSON null, 0 or a bare string go through every rule', () => {
    const config: ShadowConfig = { ignore: ['$.a'], masks: [{ pattern: 'x', path: '$.b' }], renames: { '$.c': '$.d' } }
    expect(compare(config, answer('null'), answer('null'))).toEqual([])
    expect(compare(config, answer('0'), answer('1'))).toEqual([{ path: '$', kind: 'value', ignored: false }])
    expect(compare(config, answer('"x"'), answer('"x"'))).toEqual([])
  })

  it('non-JSON bodies are compared as text; JSON against text is a type difference', () => {
    expect(compare({}, answer('<p>a</p>', { headers: { 'content-type': 'text/html' } }), answer('<p>a</p>', { headers: { 'content-type': 'text/html' } }))).toEqual([])
    expect(compare({ headers: [] }, answer({ a: 1 }), answer('oops', { headers: { 'content-type': 'text/plain' } }))).toEqual([{ path: '$', kind: 'type', ignored: false }])
    // a body that says JSON but does not parse is text
    expect(compare({}, answer('{broken'), answer('{broken'))).toEqual([])
  })
})

describe('status and headers', () => {
  it('a status difference is reported alone: the body differences follow from it', () => {
    expect(compare({}, answer({ a: 1 }), answer({ error: 'x' }, { status: 500 }))).toEqual([{ path: 'status', kind: 'status', ignored: false }])
  })

  it('a service that did not answer differs in status', () => {
    expect(compare({}, answer({ a: 1 }), answer('', { status: 0, error: 'timeout', headers: {} }))[0]).toEqual({ path: 'status', kind: 'status', ignored: false })
  })

  it('only content-type by default; more from the allow-list', () => {
    const old = answer({ a: 1 }, { headers: { 'content-type': 'application/json', etag: '"1"', date: 'x' } })
    const candidate = answer({ a: 1 }, { headers: { 'content-type': 'application/json; charset=utf-8', etag: '"2"', date: 'y' } })
    expect(compare({}, old, candidate)).toEqual([{ path: 'headers.content-type', kind: 'header', ignored: false }])
    expect(compare({ headers: ['ETag'] }, old, candidate)).toEqual([{ path: 'headers.etag', kind: 'header', ignored: false }])
  })
})

describe('rule checks', () => {
  it('bad patterns and paths are one error naming each field', () => {
    let caught: unknown
    try {
      rules({ ignore: ['$.items[?(@.id==1)]'], masks: [{ pattern: '(' }], renames: { '$..x': '$.y', '$.a': '$.b[*].c' }, arrays: { '$..z': 'unordered' } })
    } catch (error) {
      caught = error
    }
    expect(isCutoverError(caught)).toBe(true)
    if (!isCutoverError(caught)) return
    expect(caught.code).toBe('SCENARIO_INVALID')
    expect(caught.issues.map((issue) => issue.location.field)).toEqual(['shadow.ignore[0]', 'shadow.masks[0].pattern', 'shadow.renames["$..x"]', 'shadow.renames["$.a"]', 'shadow.arrays["$..z"]'])
  })
})
