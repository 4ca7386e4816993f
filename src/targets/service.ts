import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, type WriteStream } from 'node:fs'
import { resolve as resolvePath } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { CutoverError } from '../core/errors.js'
import { isAlive, signalAll, treePids } from './process-tree.js'
import { isListening, probeReady } from './readiness.js'
import { redactingLog } from './redacting-log.js'
import { clinicGraceMs } from './clinic.js'
import { pinnedShell } from './cpu-pinning.js'

/** How a service is started. */
export interface ServiceSpec {
  target: string
  command: string
  env: Record<string, string>
  cwd: string
  url: URL
  readyPath: string | undefined
  readyTimeoutMs: number
  stopGraceMs: number
  logFile: string
  /** Profiled under clinic: stop with SIGINT to the command alone and give clinic time to write its report. */
  profiled?: boolean
  /** Ctrl-C: stop waiting for readiness and hand back the service as it is, so that the run can stop it. */
  signal?: AbortSignal
  /** `start.cpus`: the cores the service runs on (a CPU list, through taskset). */
  cpus?: string | undefined
}

/** How a started service ended. */
export interface ServiceExit {
  code: number | null
  signal: NodeJS.Signals | null
}

/** Services started and not yet stopped, for a second Ctrl-C that cannot wait for a graceful stop. */
const running = new Set<StartedService>()

/** SIGKILL, now and synchronously, to every service still running and the processes of its tree; returns how many. */
export function killStartedServices (): number {
  const services = [...running]
  for (const service of services) service.killNow()
  return services.length
}

/** A service cutover started: its process group, log and exit. */
export class StartedService {
  private exitInfo: ServiceExit | undefined
  private readonly exited: Promise<ServiceExit>
  private stopping = false
  private readonly exitListeners: Array<(exit: ServiceExit) => void> = []

  constructor (readonly spec: ServiceSpec, readonly child: ChildProcess, private readonly log: WriteStream) {
    running.add(this)
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal }
        resolve(this.exitInfo)
        if (!this.stopping) for (const listener of this.exitListeners) listener(this.exitInfo)
      })
    })
  }

  /** Process id of the command (the root of its process tree). */
  get pid (): number | undefined {
    return this.child.pid
  }

  /** Set once the process has exited. */
  get exit (): ServiceExit | undefined {
    return this.exitInfo
  }

  /** Called when the service exits while it should be running. */
  onUnexpectedExit (listener: (exit: ServiceExit) => void): void {
    this.exitListeners.push(listener)
  }

  /** Remembers processes of the tree seen while it ran, so children that outlive their parent are still stopped. */
  rememberTree (): void {
    if (this.child.pid === undefined || this.exitInfo !== undefined) return
    for (const pid of treePids(this.child.pid)) this.known.add(pid)
  }

  private readonly known = new Set<number>()

  /** SIGTERM to the whole process tree (and its process group), then SIGKILL to what is left after the grace period. */
  async stop (): Promise<ServiceExit | undefined> {
    this.stopping = true
    const root = this.child.pid
    if (root !== undefined && this.spec.profiled === true && this.exitInfo === undefined) {
      // clinic stops its node process on SIGINT, analyses, writes its HTML, then exits
      try { process.kill(root, 'SIGINT') } catch { /* already gone */ }
      await Promise.race([this.exited, sleep(clinicGraceMs)])
    }
    if (root !== undefined) {
      this.rememberTree()
      this.known.delete(process.pid)
      signalAll(this.known, 'SIGTERM', root)
      const deadline = Date.now() + this.spec.stopGraceMs
      while (Date.now() < deadline && (this.exitInfo === undefined || [...this.known].some(isAlive))) await sleep(50)
      const left = [...this.known].filter(isAlive)
      if (left.length > 0 || this.exitInfo === undefined) {
        signalAll(left, 'SIGKILL', root)
        const killDeadline = Date.now() + 2000
        while (Date.now() < killDeadline && (this.exitInfo === undefined || left.some(isAlive))) await sleep(20)
      }
      // anything still in the group (started after the last look)
      signalAll([], 'SIGKILL', root)
    }
    running.delete(this)
    await new Promise<void>((resolve) => this.log.end(resolve))
    return this.exitInfo
  }

  /** SIGKILL to the tree and the process group at once, without waiting. */
  killNow (): void {
    const root = this.child.pid
    if (root === undefined) return
    this.stopping = true
    this.rememberTree()
    this.known.delete(process.pid)
    signalAll(this.known, 'SIGKILL', root)
    running.delete(this)
  }
}

function describeExit (exit: ServiceExit): string {
  return exit.signal !== null ? `was killed by ${exit.signal}` : `exited with code ${String(exit.code)}`
}

/** Starts a service in its own process group, logs its output, and waits until it is ready. */
export async function startService (spec: ServiceSpec): Promise<StartedService> {
  if (await isListening(spec.url)) {
    throw new CutoverError('TARGET_START_FAILED', `target "${spec.target}": something is already listening on ${spec.url.host}, before cutover started the service`, {
      hint: 'stop the process using that port, or change the port in the target url and start.env'
    })
  }
  const log = createWriteStream(spec.logFile, { flags: 'a' })
  await new Promise<void>((resolve, reject) => { log.once('open', () => resolve()); log.once('error', reject) })
  // with start.cpus, taskset sets the cores and execs the shell, so the root pid is the service's as without it
  const [file, args] = spec.cpus === undefined ? [spec.command, []] : pinnedShell(spec.cpus, spec.command)
  const child = spawn(file, args, {
    shell: spec.cpus === undefined,
    cwd: resolvePath(spec.cwd),
    env: { ...process.env, ...spec.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  child.stdout?.pipe(redactingLog()).pipe(log, { end: false })
  child.stderr?.pipe(redactingLog()).pipe(log, { end: false })
  const service = new StartedService(spec, child, log)
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve))
  const deadline = Date.now() + spec.readyTimeoutMs
  let lastDetail = 'no answer yet'
  while (Date.now() < deadline) {
    const failed = await Promise.race([spawnError, sleep(0).then(() => undefined)])
    if (failed !== undefined) {
      await service.stop()
      throw new CutoverError('TARGET_START_FAILED', `target "${spec.target}": cannot run "${spec.command}"${spec.cpus === undefined ? '' : ` on cores ${spec.cpus}`}: ${failed.message}`, {
        hint: spec.cpus !== undefined && /taskset/.test(failed.message) ? 'start.cpus runs the command through taskset (util-linux); install it, or leave start.cpus out' : 'check the command and cwd in start'
      })
    }
    if (service.exit !== undefined) {
      await service.stop()
      throw new CutoverError('TARGET_START_FAILED', `target "${spec.target}": "${spec.command}" ${describeExit(service.exit)} before it was ready`, {
        hint: `see its output in ${spec.logFile}`
      })
    }
    if (spec.signal?.aborted === true) return service
    const probe = await probeReady(spec.url, spec.readyPath)
    if (probe.ready) return service
    lastDetail = probe.detail
    await sleep(100)
  }
  await service.stop()
  const what = spec.readyPath === undefined ? `${spec.url.host} never accepted connections` : `GET ${spec.readyPath} never answered 2xx (last: ${lastDetail})`
  throw new CutoverError('TARGET_NOT_READY', `target "${spec.target}": ${what} within ${spec.readyTimeoutMs / 1000} s`, {
    hint: `check that the service listens on ${spec.url.host} and see its output in ${spec.logFile}; raise start.readyTimeout if it starts slowly`
  })
}
