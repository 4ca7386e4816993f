/** A service cutover starts for a target: its command (under clinic when profiled), the live-heap probe, readiness, stop. */
import { join, resolve } from 'node:path'
import type { z } from 'zod'
import type { HeapProbeCost } from '../core/result-types.js'
import { NodeHeapProbe } from '../sampling/node-heap.js'
import type { targetSchema } from '../scenario/schema/targets.js'
import { clinicCommand, clinicOutput } from './clinic.js'
import { startService, type ServiceExit, type StartedService } from './service.js'

/** A target of the scenario, units resolved. */
export type TargetConfig = z.output<typeof targetSchema>

/** What starting a target's service needs. */
export interface ManagedServiceInput {
  name: string
  config: TargetConfig & { start: NonNullable<TargetConfig['start']> }
  /** The target's URL and its start env, templates rendered. */
  url: URL
  startEnv: Record<string, string>
  /** The scenario's folder: `start.cwd` is relative to it. */
  scenarioDir: string
  runDir: string
  /** The sampling interval; the heap probe reports at most once a second. */
  intervalMs: number
  /** cutover's own environment (an inherited NODE_OPTIONS is kept). */
  env: Record<string, string | undefined>
  /** Ctrl-C: stop waiting for readiness. */
  signal: AbortSignal
  /** Progress lines. */
  say: (text: string) => void
}

/** A started service with its heap probe and profiler output. */
export class ManagedService {
  /** The probe's cost as it stood when the service stopped (its folder is gone after that). */
  private finalProbeCost: HeapProbeCost | undefined

  private constructor (
    private readonly input: ManagedServiceInput,
    private readonly service: StartedService,
    private readonly heapProbe: NodeHeapProbe | undefined
  ) {}

  /** Where the service's output goes. */
  static logFile (runDir: string, name: string): string {
    return join(runDir, 'logs', `${name}.log`)
  }

  /** Where Clinic.js writes a profiled service's report. */
  static clinicDest (runDir: string, name: string): string {
    return join(runDir, 'clinic', name)
  }

  /** Starts the service and waits until it is ready; throws a `TARGET_*` CutoverError when it cannot. */
  static async start (input: ManagedServiceInput): Promise<ManagedService> {
    const { name, config, url, startEnv, runDir } = input
    const start = config.start
    const profile = config.profile === undefined ? undefined : clinicCommand(name, config.profile, start.command, ManagedService.clinicDest(runDir, name))
    // on by default: node ignores nothing it is not given, other programs ignore NODE_OPTIONS; off under clinic, which has its own
    const heapProbe = start.heap === false || (start.heap === undefined && config.profile !== undefined) ? undefined : new NodeHeapProbe(Math.max(input.intervalMs, 1000))
    const heapEnv = heapProbe?.env(startEnv.NODE_OPTIONS ?? profile?.env?.NODE_OPTIONS ?? input.env.NODE_OPTIONS)
    input.say(`starting ${name}: ${start.command}${config.profile === undefined ? '' : ` under clinic ${config.profile}`}`)
    try {
      const service = await startService({
        target: name,
        command: profile?.command ?? start.command,
        env: { ...startEnv, ...profile?.env, ...heapEnv },
        profiled: profile !== undefined,
        // relative to the scenario's folder; an absolute path stays as it is (join would have put it under the folder)
        cwd: resolve(input.scenarioDir, start.cwd ?? '.'),
        url,
        readyPath: start.ready,
        readyTimeoutMs: start.readyTimeout ?? 30_000,
        stopGraceMs: start.stopGrace ?? 5000,
        cpus: start.cpus,
        signal: input.signal,
        logFile: ManagedService.logFile(runDir, name)
      })
      return new ManagedService(input, service, heapProbe)
    } catch (error) {
      heapProbe?.close()
      throw error
    }
  }

  /** The root pid of the service's process tree. */
  get pid (): number | undefined {
    return this.service.pid
  }

  /** Where the service's output goes. */
  get logFile (): string {
    return ManagedService.logFile(this.input.runDir, this.input.name)
  }

  /** True when the live-heap probe was preloaded (the default). */
  get probesHeap (): boolean {
    return this.heapProbe !== undefined
  }

  /** True when the scenario asked for the probe itself (`start.heap: true`), so a service that never reports is worth saying. */
  get heapAskedFor (): boolean {
    return this.input.config.start.heap === true
  }

  /** What the probe cost the service so far, when it ran and reported. */
  heapProbeCost (): HeapProbeCost | undefined {
    return this.finalProbeCost ?? this.heapProbe?.cost()
  }

  /** Calls `listener` when the service exits by itself (not when cutover stops it). */
  onUnexpectedExit (listener: (exit: ServiceExit) => void): void {
    this.service.onUnexpectedExit(listener)
  }

  /** Notes the processes of the tree now, so children that leave its process group are stopped too. */
  rememberTree (): void {
    this.service.rememberTree()
  }

  /** The live V8 heap and its committed size the probe last reported, when the probe is on and a process reported. */
  readHeap (): { usedBytes: number, committedBytes: number | undefined } | undefined {
    return this.heapProbe?.readHeap()
  }

  /** Stops the service (SIGTERM to its tree, SIGKILL after stopGrace) and the heap probe; how it ended. */
  async stop (): Promise<ServiceExit | undefined> {
    const exit = await this.service.stop()
    this.finalProbeCost = this.heapProbe?.cost()
    this.heapProbe?.close()
    return exit
  }

  /** The path of the Clinic.js report relative to the run directory, when the service was profiled and one was written. */
  profileOutput (): string | undefined {
    if (this.input.config.profile === undefined) return undefined
    return clinicOutput(ManagedService.clinicDest(this.input.runDir, this.input.name), this.input.runDir)
  }
}
