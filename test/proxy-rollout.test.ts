// `cutover proxy` in rollout mode (issue 18, items 3, 4 and 8): real services, real callers with sticky user ids.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bucketOf } from '../src/proxy/bucket.js'
import { call, withProxy } from './support/proxy.js'
import { startServer, type TestServer } from './support/servers.js'

let dir: string
const servers: TestServer[] = []

beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'cutover-rollout-')) })
afterAll(async () => {
  await Promise.all(servers.map(async (server) => { await server.close() }))
  rmSync(dir, { recursive: true, force: true })
})

/** A service that says who it is; `fails` decides which callers get a 500. */
async function service (name: string, fails: (user: string) => boolean = () => false): Promise<TestServer> {
  const server = await startServer((req, res) => {
    const user = String(req.headers['x-user-id'] ?? '')
    res.writeHead(fails(user) ? 500 : 200, { 'content-type': 'application/json', 'x-served-by': name })
    res.end(JSON.stringify({ user }))
  }, { keepBodies: false })
  servers.push(server)
  return server
}

const users = Array.from({ length: 200 }, (_, i) => `user-${i}`)
// the salt is the scenario's name (`proxied`, as support/proxy.ts writes it)
const bucket = (user: string): number => bucketOf('proxied', user)

describe('cutover proxy, rollout mode', () => {
  it('falls back within 5 s when new fails the callers the 25% step adds; old\'s callers never see an error; users stay on their side', async () => {
    const old = await service('old')
    // new serves the first 10% fine and fails everyone the 25% step adds
    const candidate = await service('new', (user) => bucket(user) >= 0.1)
    const seen: Array<{ user: string, servedBy: string, status: number, phase: 'before' | 'after', endedAt: number }> = []
    const { result } = await withProxy(dir, old, candidate, 'noiseSample: 0%, mode: rollout, rollout: { steps: [10%, 25%, 100%], hold: 1s, minRequests: 20, stickiness: "header:x-user-id" }', async (url) => {
      let state = 'rolling'
      for (let round = 0; round < 400 && state === 'rolling'; round++) {
        for (const user of users.slice((round * 20) % 200, (round * 20) % 200 + 20)) {
          const answer = await call(`${url}/items`, { headers: { 'x-user-id': user } })
          seen.push({ user, servedBy: String(answer.headers['x-served-by']), status: answer.status, phase: 'before', endedAt: Date.now() })
        }
        state = (JSON.parse((await call(`${url}/_cutover/status`)).body.toString()) as { rollout: { state: string } }).rollout.state
      }
      expect(state).toBe('fell back')
      for (const user of users.slice(0, 50)) {
        const answer = await call(`${url}/items`, { headers: { 'x-user-id': user } })
        seen.push({ user, servedBy: String(answer.headers['x-served-by']), status: answer.status, phase: 'after', endedAt: Date.now() })
      }
    })
    const rollout = result.proxy?.rollout
    expect(rollout?.state).toBe('fell back')
    const events = rollout?.events ?? []
    const stepStarted = events.find((event) => event.kind === 'step' && event.message.startsWith('step 25%: started'))
    const fellBack = events.find((event) => event.kind === 'fallback')
    expect(fellBack?.message).toMatch(/^step 25%: fell back at \d\d:\d\d:\d\d — error burst on new/)
    expect(Date.parse(fellBack?.at ?? '') - Date.parse(stepStarted?.at ?? '')).toBeLessThanOrEqual(5000)
    // callers never placed on new (bucket ≥ 25%) saw only old, and no error
    const neverNew = seen.filter((entry) => bucket(entry.user) >= 0.25)
    expect(neverNew.length).toBeGreaterThan(100)
    expect(neverNew.every((entry) => entry.servedBy === 'old' && entry.status === 200)).toBe(true)
    // the first 10% stayed on new across both steps until the fallback (answers that ended before it was decided)
    const first = seen.filter((entry) => entry.endedAt < Date.parse(fellBack?.at ?? '') && bucket(entry.user) < 0.1)
    expect(first.length).toBeGreaterThan(20)
    expect(first.every((entry) => entry.servedBy === 'new' && entry.status === 200)).toBe(true)
    // after the fallback everyone is on old
    expect(seen.filter((entry) => entry.phase === 'after').every((entry) => entry.servedBy === 'old' && entry.status === 200)).toBe(true)
    expect(result.checks.find((check) => check.id === 'rollout')).toMatchObject({ status: 'fail' })
    expect(result.verdict).toBe('fail')
    expect(result.targets.new?.events.some((event) => event.type === 'rollout fallback')).toBe(true)
  }, 120_000)

  it('completes when new is as good as old, and the operator can fall back with the token', async () => {
    const old = await service('old')
    const candidate = await service('new')
    const { result } = await withProxy(dir, old, candidate, 'noiseSample: 0%, mode: rollout, rollout: { steps: [20%, 100%], hold: 1s, minRequests: 20, stickiness: "header:x-user-id" }', async (url) => {
      let state = 'rolling'
      for (let round = 0; round < 400 && state === 'rolling'; round++) {
        for (const user of users.slice(0, 40)) await call(`${url}/items`, { headers: { 'x-user-id': user } })
        state = (JSON.parse((await call(`${url}/_cutover/status`)).body.toString()) as { rollout: { state: string } }).rollout.state
      }
      expect(state).toBe('complete')
      expect((await call(`${url}/items`, { headers: { 'x-user-id': 'user-199' } })).headers['x-served-by']).toBe('new')
      const refused = await call(`${url}/_cutover/fallback`, { method: 'POST' })
      expect(refused.status).toBe(401)
      const fallback = await call(`${url}/_cutover/fallback`, { method: 'POST', headers: { authorization: 'Bearer t0ken' } })
      expect(fallback.status).toBe(200)
      expect((await call(`${url}/items`, { headers: { 'x-user-id': 'user-199' } })).headers['x-served-by']).toBe('old')
    }, { controlToken: 't0ken' })
    const events = result.proxy?.rollout?.events.map((event) => event.kind)
    expect(events).toEqual(['step', 'step', 'complete', 'fallback'])
    expect(result.proxy?.rollout?.events.at(-1)?.message).toMatch(/fell back at .* — the operator asked/)
  }, 120_000)
})
