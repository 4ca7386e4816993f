// Redaction: the functions one by one, then planted credentials that must not reach report.html, summary.md or junit.xml.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { redactDeep, redactHeaders, redactScenarioText, redactText, redactUrl } from '../src/core/redact.js'
import { writeReports } from '../src/report/write-reports.js'
import { syntheticRun, writeRunDir } from './fixtures/report/synthetic-run.js'

describe('redactUrl', () => {
  it('replaces token-like query parameters, case-insensitively, and keeps the others', () => {
    expect(redactUrl('/search?q=shoe&api_key=XYZ&page=2')).toBe('/search?q=shoe&api_key=[REDACTED]&page=2')
    expect(redactUrl('https://h/p?TOKEN=a&Access_Token=b&apikey=c&key=d&secret=e&password=f&auth=g&signature=h&sig=i&session=j&jwt=k#frag'))
      .toBe('https://h/p?TOKEN=[REDACTED]&Access_Token=[REDACTED]&apikey=[REDACTED]&key=[REDACTED]&secret=[REDACTED]&password=[REDACTED]&auth=[REDACTED]&signature=[REDACTED]&sig=[REDACTED]&session=[REDACTED]&jwt=[REDACTED]#frag')
    expect(redactUrl('/x?X-Amz-Signature=abc&X-Amz-Credential=def&client_secret=g&refresh_token=h')).toBe('/x?X-Amz-Signature=[REDACTED]&X-Amz-Credential=[REDACTED]&client_secret=[REDACTED]&refresh_token=[REDACTED]')
    expect(redactUrl('/x?api%5Fkey=encoded')).toBe('/x?api%5Fkey=[REDACTED]')
  })

  it('replaces the password of user:password@host', () => {
    expect(redactUrl('https://alice:hunter2@db.example/path')).toBe('https://alice:[REDACTED]@db.example/path')
  })

  it('leaves harmless URLs alone', () => {
    expect(redactUrl('http://127.0.0.1:3001/products/42?q=hat&sort=price')).toBe('http://127.0.0.1:3001/products/42?q=hat&sort=price')
    expect(redactUrl('/search?q={{ pick("a") }}')).toBe('/search?q={{ pick("a") }}')
  })
})

describe('redactHeaders', () => {
  it('replaces credential headers whatever their case, keeps the rest, redacts URLs inside values', () => {
    expect(redactHeaders({
      Authorization: 'Bearer s3cr3t-token',
      cookie: 'sid=abc',
      'Set-Cookie': ['sid=abc; HttpOnly', 'theme=dark'],
      'X-API-Key': 'k',
      'X-Session-Token': 't',
      'x-client-secret': 's',
      'content-type': 'application/json',
      location: '/next?access_token=abc&page=2',
      'content-length': 12
    })).toEqual({
      Authorization: '[REDACTED]',
      cookie: '[REDACTED]',
      'Set-Cookie': '[REDACTED]',
      'X-API-Key': '[REDACTED]',
      'X-Session-Token': '[REDACTED]',
      'x-client-secret': '[REDACTED]',
      'content-type': 'application/json',
      location: '/next?access_token=[REDACTED]&page=2',
      'content-length': '12'
    })
  })
})

describe('redactText', () => {
  it('redacts header lines, Bearer tokens, JWTs, key=value credentials and URL parameters', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.sflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'
    const text = [
      'GET /x HTTP/1.1',
      'Authorization: Bearer s3cr3t-token',
      'cookie: sid=abc; theme=dark',
      'Set-Cookie: sid=abc; HttpOnly',
      'X-Api-Key: k-123',
      `then token ${jwt} was sent`,
      'retrying with bearer s3cr3t-token2 and /cb?code=abc123&state=ok',
      '{"password":"hunter2","user":"alice","access_token":"tok"}'
    ].join('\n')
    expect(redactText(text)).toBe([
      'GET /x HTTP/1.1',
      'Authorization: [REDACTED]',
      'cookie: [REDACTED]',
      'Set-Cookie: [REDACTED]',
      'X-Api-Key: [REDACTED]',
      'then token [REDACTED] was sent',
      'retrying with bearer [REDACTED] and /cb?code=[REDACTED]&state=ok',
      '{"password":"[REDACTED]","user":"alice","access_token":"[REDACTED]"}'
    ].join('\n'))
  })

  it('leaves ordinary prose alone and is idempotent', () => {
    const prose = 'the bearer of bad news: Basic information about p99 latency (250 ms) and the session count'
    expect(redactText(prose)).toBe(prose)
    const once = redactText('Authorization: Bearer abc.def\n?token=1')
    expect(redactText(once)).toBe(once)
  })
})

describe('redactScenarioText', () => {
  const scenario = `# token: in-a-comment-123
name: shop
targets:
  old:
    url: http://127.0.0.1:3001/?api_key=XYZ
    headers: { Authorization: "Bearer s3cr3t-token", accept: application/json }
  new:
    url: "https://bob:pa55@new.example"
    headers:
      Cookie: sid=abc
      X-Session-Token: 'tok-1'
      x-api-key: >-
        folded-key
requests:
  - name: search
    path: /search?q=hat&access_token=T0K
    headers: { x-client-password: pw, x-trace: keep-me }
`

  it('redacts credential header values, token-like parameters and URL passwords, keeping the layout', () => {
    const redacted = redactScenarioText(scenario)
    for (const secret of ['XYZ', 's3cr3t-token', 'sid=abc', 'tok-1', 'folded-key', 'T0K', 'pa55', 'in-a-comment-123', ': pw']) expect(redacted).not.toContain(secret)
    expect(redacted).toContain('keep-me')
    expect(redacted).toContain('accept: application/json')
    expect(redacted.split('\n')).toHaveLength(scenario.split('\n').length - 1)
  })

  it('still parses as YAML, with the same structure', () => {
    const original = parse(scenario) as { targets: Record<string, { headers: Record<string, string> }>, requests: Array<{ path: string }> }
    const redacted = parse(redactScenarioText(scenario)) as typeof original
    expect(Object.keys(redacted.targets)).toEqual(['old', 'new'])
    expect(redacted.targets.old?.headers).toEqual({ Authorization: '[REDACTED]', accept: 'application/json' })
    expect(redacted.targets.new?.headers).toEqual({ Cookie: '[REDACTED]', 'X-Session-Token': '[REDACTED]', 'x-api-key': '[REDACTED]' })
    expect(redacted.requests[0]?.path).toBe('/search?q=hat&access_token=[REDACTED]')
  })

  it('redacts JSON scenarios too', () => {
    const json = JSON.stringify({ name: 'x', targets: { old: { url: 'http://h/?token=abc', headers: { authorization: 'Bearer s3cr3t-token' } } } }, null, 2)
    const redacted = redactScenarioText(json)
    expect(redacted).not.toContain('s3cr3t-token')
    expect(redacted).not.toContain('token=abc')
    expect(JSON.parse(redacted)).toEqual({ name: 'x', targets: { old: { url: 'http://h/?token=[REDACTED]', headers: { authorization: '[REDACTED]' } } } })
  })
})

describe('redactDeep', () => {
  it('redacts strings and keys at any depth, headers objects by name, and leaves skipped keys and numbers alone', () => {
    expect(redactDeep({ a: [{ url: '/x?sig=1', n: 3 }], headers: { Cookie: 'sid=abc', accept: '*/*' }, histogram: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.x', 'Bearer s3cr3t-token': 1 }, new Set(['histogram'])))
      .toEqual({ a: [{ url: '/x?sig=[REDACTED]', n: 3 }], headers: { Cookie: '[REDACTED]', accept: '*/*' }, histogram: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.x', 'Bearer [REDACTED]': 1 })
  })
})

describe('credentials planted in a run directory never reach the reports', () => {
  let dir: string
  const secrets = ['s3cr3t-token', 'sid=abc', 'api_key=XYZ', 'hunter2', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.sflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c']

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cutover-report-redact-'))
    if (process.env.KEEP_REPORT_DIR !== undefined) process.stderr.write(`run dir: ${dir}\n`)
    const { result, timeline } = syntheticRun({ seconds: 30, analyses: true })
    const old = result.targets.old
    if (old === undefined) throw new Error('fixture has no old target')
    old.url = 'http://127.0.0.1:3001/?api_key=XYZ'
    old.events = [{ t: 5, type: 'request failed', detail: 'GET /x?api_key=XYZ with Authorization: Bearer s3cr3t-token and Cookie: sid=abc' }]
    result.checks.push({ id: 'slo.p99', target: 'old', status: 'fail', observed: 1, limit: 0.5, unit: 'ms', message: 'sent Authorization: Bearer s3cr3t-token to /login?password=hunter2' })
    result.failures = [{ target: 'new', code: 'TARGET_DIED', message: 'crashed after Set-Cookie: sid=abc', hint: 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.sflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c' }]
    result.shadow = {
      requests: 10,
      mismatched: 1,
      endpoints: [{
        name: 'profile',
        requests: 10,
        mismatched: 1,
        fields: [{
          path: '$.user',
          kind: 'value',
          rawRate: 0.1,
          noiseRate: 0,
          verdict: 'real',
          samples: [{
            request: { method: 'GET', path: '/me?api_key=XYZ' },
            old: { status: 200, body: '{"user":"a","cookie":"sid=abc"}', headers: { 'set-cookie': 'sid=abc', authorization: 'Bearer s3cr3t-token' } },
            old2: { status: 200, body: 'Authorization: Bearer s3cr3t-token', headers: { Cookie: 'sid=abc' } },
            new: { status: 200, body: '{"user":"b","password":"hunter2"}', headers: { location: '/next?api_key=XYZ' } }
          }]
        }]
      }]
    }
    writeRunDir(dir, result, timeline)
    writeFileSync(join(dir, 'scenario.yaml'), 'name: planted\ntargets:\n  old:\n    url: http://127.0.0.1:3001/?api_key=XYZ\n    headers: { Authorization: "Bearer s3cr3t-token", Cookie: "sid=abc" }\n')
    await writeReports(dir)
  }, 60_000)

  afterAll(() => { if (process.env.KEEP_REPORT_DIR === undefined) rmSync(dir, { recursive: true, force: true }) })

  for (const file of ['report.html', 'summary.md', 'junit.xml']) {
    it(`${file} holds none of the planted secrets`, () => {
      const text = readFileSync(join(dir, file), 'utf8')
      for (const secret of secrets) expect(text, secret).not.toContain(secret)
      if (file === 'report.html') {
        // and they were rendered (redacted), not dropped
        expect(text).toContain('api_key=[REDACTED]')
        expect(text).toContain('Authorization: [REDACTED]')
      }
    })
  }
})
