import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatCpuList, parseCpuList } from '../src/core/cpu-list.js'
import { runCli } from './support/cli.js'
import { freePort } from './support/servers.js'

// start.cpus: the service runs on the cores it names (taskset), and cutover keeps its load generator, worker threads
// included, on the others. Real services, the real CLI, the kernel's own record of each thread's cores (/proc).
let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cutover-cpus-'))
  // after its 10th request (the load is running, so cutover has pinned itself) the service writes the cores it may use
  writeFileSync(join(dir, 'server.mjs'), `
import { createServer } from 'node:http'
import { readFileSync, writeFileSync } from 'node:fs'
let seen = 0
createServer((req, res) => {
  if (++seen === 10) writeFileSync(process.env.REPORT, /Cpus_allowed_list:\\s*(\\S+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1])
  res.end('ok')
}).listen(Number(process.env.PORT), '127.0.0.1')
`)
})
afterAll(() => { rmSync(dir, { recursive: true, force: true }) })

/** The cores this process may use, as the kernel lists them. */
const allowedOf = (statusFile: string): string => (/Cpus_allowed_list:\s*(\S+)/.exec(readFileSync(statusFile, 'utf8')) as RegExpExecArray)[1] as string

async function scenario (name: string, oldCpus: string, phaseSeconds: number): Promise<string> {
  const [oldPort, newPort] = [await freePort(), await freePort()]
  const start = (port: number, report: string, cpus?: string): string =>
    `{ command: '"${process.execPath}" server.mjs', env: { PORT: "${port}", REPORT: ${JSON.stringify(join(dir, report))} }${cpus === undefined ? '' : `, cpus: "${cpus}"`} }`
  const file = join(dir, `${name}.yaml`)
  writeFileSync(file, `
name: ${name}
targets:
  old: { url: "http://127.0.0.1:${oldPort}", start: ${start(oldPort, `${name}-old.txt`, oldCpus)} }
  new: { url: "http://127.0.0.1:${newPort}", start: ${start(newPort, `${name}-new.txt`)} }
requests: [{ name: hit, path: / }]
phases: [{ name: steady, duration: ${phaseSeconds}s, rate: 40 }]
`)
  return file
}

describe('start.cpus', () => {
  const mine = parseCpuList(allowedOf('/proc/self/status'))
  const serviceCore = mine.at(-1) as number
  const generatorCores = formatCpuList(mine.filter((core) => core !== serviceCore))

  it('runs the service on its cores and the load generator, every thread of it, on the others', async () => {
    expect(mine.length, 'this test needs two cores').toBeGreaterThanOrEqual(2)
    const file = await scenario('pinned', String(serviceCore), 6)
    let threads: string[] = []
    const run = await runCli(['run', file, '--out', join(dir, 'run'), '--workers', '2', '--schedule', 'concurrent'], {
      timeoutMs: 120_000,
      onStart: (child) => {
        // once the pinned service has had its 10th request, read every thread of cutover while the load goes on
        void (async () => {
          while (child.exitCode === null && !existsSync(join(dir, 'pinned-old.txt'))) await sleep(20)
          if (child.exitCode !== null) return
          const tasks = `/proc/${child.pid ?? 0}/task`
          threads = readdirSync(tasks).map((task) => allowedOf(join(tasks, task, 'status')))
        })()
      }
    })
    expect(run.code, run.stderr).toBe(0)
    expect(readFileSync(join(dir, 'pinned-old.txt'), 'utf8')).toBe(String(serviceCore))
    // new has no start.cpus: every core this machine gives us
    expect(readFileSync(join(dir, 'pinned-new.txt'), 'utf8')).toBe(formatCpuList(mine))
    // the main thread, libuv's and V8's threads and the two load workers
    expect(threads.length).toBeGreaterThanOrEqual(7)
    expect(new Set(threads)).toEqual(new Set([generatorCores]))
    expect(run.stdout + run.stderr).toContain(`the load generator runs on core${generatorCores.includes('-') || generatorCores.includes(',') ? 's' : ''} ${generatorCores}; old on ${serviceCore}`)
  }, 150_000)

  it('refuses a core the machine does not have before starting anything, and a list that is not one where it is written', async () => {
    const missing = await scenario('missing', '999', 1)
    const refused = await runCli(['run', missing, '--out', join(dir, 'run-missing')])
    expect(refused.code).toBe(3)
    expect(refused.stderr).toContain(`target "old": start.cpus "999": this machine has no core 999 (its cores are ${formatCpuList(Array.from({ length: mine.at(-1) as number + 1 }, (_, i) => i))})`)
    expect(refused.stderr).not.toMatch(/\n\s+at /)
    expect(existsSync(join(dir, 'missing-old.txt'))).toBe(false)

    const backwards = await scenario('backwards', '1-0', 1)
    const reversed = await runCli(['run', backwards, '--out', join(dir, 'run-backwards')])
    expect(reversed.code).toBe(2)
    expect(reversed.stderr).toMatch(/backwards\.yaml:4:\d+ targets\.old\.start\.cpus: a range of cores runs from low to high/)

    const wrong = await scenario('wrong', 'one', 1)
    const invalid = await runCli(['validate', wrong])
    expect(invalid.code).toBe(2)
    expect(invalid.stdout + invalid.stderr).toMatch(/wrong\.yaml:4:\d+ targets\.old\.start\.cpus: expected a CPU list such as "1", "2-3" or "0,2-3"/)
  }, 60_000)
})
