import { parse as parseCsv } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { csvText } from '../src/scenario/init/csv-text.js'
import { recordedShapes, starterFromHar } from '../src/scenario/init/from-har.js'
import { serverBase, starterFromOpenApi } from '../src/scenario/init/from-openapi.js'
import { selectApiTraffic } from '../src/scenario/init/har-filter.js'
import { looksLikeId, templateIds } from '../src/scenario/init/har-ids.js'
import { queryValue, recordedBody, requestHeaders, valueTemplate } from '../src/scenario/init/har-secrets.js'
import { envNameFor, identifierFrom, requestNameFrom, scenarioNameFrom, uniqueName } from '../src/scenario/init/naming.js'
import { credentialsFor } from '../src/scenario/init/openapi-security.js'
import { exampleOf, queryPairs } from '../src/scenario/init/openapi-values.js'
import { harEntries, type HarEntry } from '../src/scenario/init/read-har.js'
import { withSendableRequest } from '../src/scenario/init/starter.js'
import { literalText, pickTemplate } from '../src/scenario/init/template-text.js'

/** A HAR 1.2 document of calls given as `METHOD url` with optional headers, cookies, body and resource type. */
function har (calls: Array<string | { call: string, headers?: Record<string, string>, cookies?: string[], body?: { mimeType: string, text: string }, type?: string, mime?: string }>): unknown {
  return {
    log: {
      version: '1.2',
      entries: calls.map((item) => {
        const spec = typeof item === 'string' ? { call: item } : item
        const [method = 'GET', url = ''] = spec.call.split(' ')
        return {
          _resourceType: spec.type,
          request: {
            method,
            url,
            headers: Object.entries(spec.headers ?? {}).map(([name, value]) => ({ name, value })),
            cookies: (spec.cookies ?? []).map((cookie) => ({ name: cookie.split('=')[0], value: cookie.split('=')[1] })),
            ...(spec.body === undefined ? {} : { postData: spec.body })
          },
          response: { status: 200, content: { mimeType: spec.mime ?? 'application/json' } }
        }
      })
    }
  }
}

const entries = (calls: Parameters<typeof har>[0]): HarEntry[] => harEntries(har(calls), 'test.har')

describe('id detection', () => {
  it('takes numbers, UUIDs and long hex strings with a digit as ids, and words, versions and short hex words as names', () => {
    const ids = ['7', '000123', '550e8400-e29b-41d4-a716-446655440000', '5f3a9c2e8b1d4a6f7e9c0b1a', 'abc123def', 'DEADBEEF1']
    const names = ['products', 'v1', 'v2beta', 'deadbeef', 'cafe', 'abc12', 'blue-mug-42', '2024-01-31', '', 'a1b2c3d4-e5']
    expect(ids.map(looksLikeId)).toEqual(ids.map(() => true))
    expect(names.map(looksLikeId)).toEqual(names.map(() => false))
  })

  it('templates ids that vary within a method and path shape, keeps one that never varies, and names the data source after the segment before', () => {
    const templated = templateIds([
      { method: 'GET', pathname: '/products/17' },
      { method: 'GET', pathname: '/products/42' },
      { method: 'GET', pathname: '/products/17/reviews/3' },
      { method: 'GET', pathname: '/products/99/reviews/4' },
      { method: 'GET', pathname: '/orders/5' },
      { method: 'DELETE', pathname: '/products/8' },
      { method: 'GET', pathname: '/products/42' }
    ])
    expect(templated.paths).toEqual([
      '/products/{{ products.id }}',
      '/products/{{ products.id }}',
      '/products/{{ products.id }}/reviews/{{ reviews.id }}',
      '/products/{{ products.id }}/reviews/{{ reviews.id }}',
      '/orders/5', // one value seen: nothing to vary
      '/products/8', // DELETE is its own shape, seen once
      '/products/{{ products.id }}'
    ])
    expect(templated.shapes).toEqual(['/products/{id}', '/products/{id}', '/products/{id}/reviews/{id}', '/products/{id}/reviews/{id}', '/orders/5', '/products/8', '/products/{id}'])
    expect(templated.columns).toEqual([
      { source: 'products', column: 'id', values: ['17', '42', '99'], shapes: ['GET /products/{id}', 'GET /products/{id}/reviews/{id}'] },
      { source: 'reviews', column: 'id', values: ['3', '4'], shapes: ['GET /products/{id}/reviews/{id}'] }
    ])
  })

  it('names a source "ids" when no word precedes the id, and keeps literal segments literal', () => {
    const templated = templateIds([{ method: 'GET', pathname: '/1/a{{b' }, { method: 'GET', pathname: '/2/a{{b' }])
    expect(templated.paths).toEqual(['/{{ ids.id }}/a{{ "{{" }}b', '/{{ ids.id }}/a{{ "{{" }}b'])
    expect(templated.columns.map((column) => [column.source, column.values])).toEqual([['ids', ['1', '2']]])
  })
})

describe('weighting recorded calls', () => {
  it('counts calls per method, templated path and query names, heaviest first, ties in recorded order', () => {
    const traffic = selectApiTraffic(entries([
      'GET http://shop.test/search?q=hat', 'GET http://shop.test/products/1', 'GET http://shop.test/products/2',
      'GET http://shop.test/search?q=shoe', 'GET http://shop.test/products/3', 'POST http://shop.test/orders',
      'GET http://shop.test/search?q=hat&page=2', 'GET http://shop.test/health'
    ]))
    const { shapes } = recordedShapes(traffic.entries)
    expect(shapes.map((shape) => [shape.method, shape.shape, shape.queryNames.join('&'), shape.calls.length])).toEqual([
      ['GET', '/products/{id}', '', 3],
      ['GET', '/search', 'q', 2],
      ['POST', '/orders', '', 1],
      ['GET', '/search', 'q&page', 1],
      ['GET', '/health', '', 1]
    ])
  })

  it('drops static assets and calls to other hosts, and says so', () => {
    const starter = starterFromHar(entries([
      'GET http://shop.test/products/1', 'GET http://shop.test/products/2', 'GET http://shop.test/app.js',
      { call: 'GET http://shop.test/logo', type: 'image' }, { call: 'GET http://shop.test/theme', mime: 'text/css' },
      'GET https://cdn.test/lib', 'GET https://cdn.test/other', 'GET http://analytics.test/hit', 'GET data:text/plain,hi',
      { call: 'OPTIONS http://shop.test/products/1', type: 'preflight' }
    ]), 'shop.har')
    expect(starter.requests.map((request) => [request.name, request.path, request.weight])).toEqual([['get-products-id', '/products/{{ products.id }}', 2]])
    expect(starter.notes).toEqual([
      'Written by `cutover init` from shop.har: 2 calls to http://shop.test, one request per method and path, weighted by how often each was recorded.',
      'Left out: 3 static assets (images, styles, scripts, fonts, media).',
      'Left out: 3 calls to other hosts (https://cdn.test ×2, http://analytics.test ×1).',
      'Left out: 1 CORS preflight the browser made by itself.',
      'Left out: 1 entry that is not an HTTP(S) call.',
      'Ids that varied in paths are read from data files of the values seen.'
    ])
    expect(starter.data).toEqual([{ source: 'products', columns: ['id'], rows: [['1'], ['2']], comment: '2 ids seen in GET /products/{id}' }])
  })

  it('writes mutating calls commented out and marks only read-only ones for the shadow run', () => {
    const starter = starterFromHar(entries(['GET http://a.test/x', 'PUT http://a.test/x', 'DELETE http://a.test/x', 'HEAD http://a.test/x']), 'a.har')
    expect(starter.requests.map((request) => request.name)).toEqual(['get-x', 'head-x'])
    expect(starter.mutating.map((request) => request.name)).toEqual(['put-x', 'delete-x'])
    expect(starter.shadow).toEqual(['get-x', 'head-x'])
  })

  it('refuses a recording with nothing to keep', () => {
    expect(() => starterFromHar(entries(['GET http://a.test/app.css']), 'a.har')).toThrow(/a\.har holds no call to keep: 1 entry, 1 static asset/)
  })
})

describe('credentials in recordings', () => {
  it('replaces cookies, Authorization and secret-looking headers with env() and keeps the application\'s own headers', () => {
    const envNames = new Set<string>()
    const calls = entries([
      { call: 'GET http://a.test/x', headers: { Authorization: 'Bearer abc', 'X-Api-Key': 'k1', 'X-Tenant': 'blue', 'User-Agent': 'Chrome', Accept: 'application/json', 'X-Trace': '1' }, cookies: ['sid=s1'] },
      { call: 'GET http://a.test/x', headers: { Authorization: 'Bearer abc', 'X-Api-Key': 'k1', 'X-Tenant': 'blue', 'User-Agent': 'Chrome', Accept: 'application/json', 'X-Trace': '2', 'X-Note': 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln' } }
    ])
    expect(requestHeaders(calls, envNames)).toEqual({
      cookie: '{{ env("CUTOVER_COOKIE") }}',
      authorization: '{{ env("CUTOVER_AUTHORIZATION") }}',
      'x-api-key': '{{ env("CUTOVER_X_API_KEY") }}',
      'x-tenant': 'blue',
      accept: 'application/json',
      'x-trace': '{{ pick("1", "2") }}',
      'x-note': '{{ env("CUTOVER_X_NOTE") }}'
    })
    expect([...envNames].sort()).toEqual(['CUTOVER_AUTHORIZATION', 'CUTOVER_COOKIE', 'CUTOVER_X_API_KEY', 'CUTOVER_X_NOTE'])
  })

  it('reads token parameters and password fields from the environment', () => {
    const envNames = new Set<string>()
    expect(queryValue('access_token', ['t1', 't2'], envNames)).toBe('{{ env("CUTOVER_ACCESS_TOKEN") }}')
    expect(queryValue('page', ['1', '2', '1'], envNames)).toBe('{{ pick("1", "2") }}')
    const [login] = entries([{ call: 'POST http://a.test/login', body: { mimeType: 'application/json', text: '{"user":"ann","password":"hunter2","profile":{"apiKey":"k"}}' } }])
    expect(login === undefined ? undefined : recordedBody(login, envNames)).toEqual({ json: { user: 'ann', password: '{{ env("CUTOVER_PASSWORD") }}', profile: { apiKey: '{{ env("CUTOVER_APIKEY") }}' } } })
    const [form] = entries([{ call: 'POST http://a.test/login', body: { mimeType: 'application/x-www-form-urlencoded', text: 'user=ann&pass=hunter2' } }])
    expect(form === undefined ? undefined : recordedBody(form, envNames)).toEqual({ body: 'user=ann&pass={{ env("CUTOVER_PASS") }}' })
    expect([...envNames].sort()).toEqual(['CUTOVER_ACCESS_TOKEN', 'CUTOVER_APIKEY', 'CUTOVER_PASS', 'CUTOVER_PASSWORD'])
  })
})

describe('values and names', () => {
  it('writes one literal for a constant value, pick() of the most frequent otherwise', () => {
    expect(valueTemplate(['a', 'a'])).toBe('a')
    expect(valueTemplate(['b', 'a', 'a', 'c', 'a', 'b'])).toBe('{{ pick("a", "b", "c") }}')
    expect(pickTemplate(['say "hi"', 'back\\slash'])).toBe('{{ pick("say \\"hi\\"", "back\\\\slash") }}')
    expect(pickTemplate(['{{x}}'])).toBeUndefined()
    expect(literalText('a{{b}}')).toBe('a{{ "{{" }}b}}')
  })

  it('quotes CSV fields only where csv-parse needs it, and reads back the same values', () => {
    const rows = [['1', 'plain'], ['2', 'a,b'], ['3', 'say "hi"'], ['4', ' padded ']]
    const text = csvText(['id', 'name'], rows)
    expect(text).toBe('id,name\n1,plain\n2,"a,b"\n3,"say ""hi"""\n4," padded "\n')
    expect(parseCsv(text, { columns: true, trim: true })).toEqual(rows.map(([id, name]) => ({ id, name })))
  })

  it('names scenarios, requests, data sources and environment variables', () => {
    expect(scenarioNameFrom('Swagger Petstore - OpenAPI 3.0')).toBe('swagger-petstore-openapi-3.0')
    expect(scenarioNameFrom('  ***  ')).toBe('starter')
    expect(requestNameFrom('GET', '/products/{id}/reviews')).toBe('get-products-id-reviews')
    expect(requestNameFrom('POST', '/')).toBe('post-root')
    expect(identifierFrom('pet-id', 'x')).toBe('pet_id')
    expect(identifierFrom('2fa', 'x')).toBe('_2fa')
    expect(identifierFrom('env', 'x')).toBe('env_values')
    expect(envNameFor('X-Api-Key')).toBe('CUTOVER_X_API_KEY')
    const taken = new Set(['a'])
    expect([uniqueName('a', taken), uniqueName('a', taken), uniqueName('b', taken)]).toEqual(['a-2', 'a-3', 'b'])
  })
})

describe('OpenAPI values', () => {
  it('serialises query parameters as OpenAPI styles say', () => {
    expect(queryPairs('tags', ['a b', 'c'])).toEqual(['tags=a%20b', 'tags=c'])
    expect(queryPairs('tags', ['a', 'c'], 'form', false)).toEqual(['tags=a%2Cc'])
    expect(queryPairs('tags', ['a', 'c'], 'pipeDelimited', false)).toEqual(['tags=a%7Cc'])
    expect(queryPairs('filter', { color: 'red', size: 2 }, 'deepObject', true)).toEqual(['filter%5Bcolor%5D=red', 'filter%5Bsize%5D=2'])
    expect(queryPairs('point', { x: 1, y: 2 })).toEqual(['x=1', 'y=2'])
    expect(queryPairs('q', 7)).toEqual(['q=7'])
  })

  it('finds examples in example, in 3.1 schema examples and in Example objects', () => {
    expect(exampleOf({ example: 3, examples: { a: { value: 4 } } })).toEqual({ found: true, value: 3 })
    expect(exampleOf({ examples: ['x', 'y'] })).toEqual({ found: true, value: 'x' })
    expect(exampleOf({ examples: { remote: { externalValue: 'http://x' }, local: { value: 'v' } } })).toEqual({ found: true, value: 'v' })
    expect(exampleOf({ schema: { type: 'string' } })).toEqual({ found: false })
  })

  it('reads credentials of the first security requirement from the environment', () => {
    const document = {
      components: {
        securitySchemes: {
          key: { type: 'apiKey', in: 'header', name: 'X-Key' },
          q: { type: 'apiKey', in: 'query', name: 'api_key' },
          oauth: { type: 'oauth2', flows: {} }
        }
      },
      security: [{ oauth: [] }]
    }
    expect(credentialsFor({ security: [{ key: [], q: [] }, { oauth: [] }] }, document)).toEqual({
      headers: { 'x-key': '{{ env("CUTOVER_X_KEY") }}' },
      query: ['api_key={{ env("CUTOVER_API_KEY") }}'],
      cookies: [],
      envNames: ['CUTOVER_X_KEY', 'CUTOVER_API_KEY']
    })
    expect(credentialsFor({}, document).headers).toEqual({ authorization: '{{ env("CUTOVER_AUTHORIZATION") }}' })
    expect(credentialsFor({ security: [{}] }, document).envNames).toEqual([])
  })
})

describe('OpenAPI documents', () => {
  it('takes the base path from the first server, variables filled with their defaults, credentials left out of the note', () => {
    expect(serverBase({ servers: [{ url: 'https://{user}:{pass}@api.test:8443/{version}/', variables: { version: { default: 'v2' }, user: { default: 'u' }, pass: { default: 'p' } } }] }))
      .toEqual({ basePath: '/v2', url: 'https://api.test:8443/v2/' })
    expect(serverBase({ servers: [{ url: '/v3' }] })).toEqual({ basePath: '/v3', url: undefined })
    expect(serverBase({})).toEqual({ basePath: '', url: undefined })
  })

  it('with --read-only, adds a placeholder GET / when every operation changes data, so the file still validates and nothing is written to', () => {
    const built = starterFromOpenApi({
      openapi: '3.1.0',
      info: { title: 'Writes only', version: '1' },
      paths: { '/things': { post: { operationId: 'home', responses: {} } }, '/things/{id}': { delete: { responses: {} }, trace: { responses: {} } } }
    }, 'w.json')
    // without --read-only the requests that change data are sent: nothing to add
    expect(withSendableRequest(built, false)).toBe(built)
    const starter = withSendableRequest(built, true)
    expect(starter.requests).toEqual([{ name: 'home-2', method: 'GET', path: '/', weight: 1, comment: 'a placeholder: nothing read-only was found, and a scenario must send something; replace it' }])
    expect(starter.mutating.map((request) => [request.name, request.method, request.path])).toEqual([
      ['home', 'POST', '/things'],
      ['delete-things-id', 'DELETE', '/things/{{ things.id }}'] // an undeclared path parameter: a data column too
    ])
    expect(starter.shadow).toEqual(['home-2'])
    expect(starter.data).toEqual([{ source: 'things', columns: ['id'], rows: [['1']], comment: 'id: the description gives no example, so one generated row; put real values here, one row each' }])
    expect(starter.notes.at(-1)).toBe('Left out (a scenario cannot send them): TRACE /things/{id}.')
  })
})
