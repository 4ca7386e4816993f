import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
// kubernetes-models carries the Kubernetes API's OpenAPI schema for every built-in kind, compiled into validators:
// the manifests are checked as the API server would type-check them, with no cluster and no kubectl.
import { Job } from 'kubernetes-models/batch/v1/Job'
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap'
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse, parseAllDocuments, parseDocument } from 'yaml'
import { parseDurationMs, parseRatePerSec } from '../src/core/units.js'
import { startChildServer, type ChildServer } from './support/child-server.js'
import { cliPath, runCli, type CliRun } from './support/cli.js'

// Issue 16, item 4: the sharded-run recipes for Kubernetes, GitHub Actions and GitLab CI, as a user copies them.
// Each manifest is checked against its engine's rules, and the exact command lines it runs are run here: four
// processes on loopback with the environment that engine gives each shard, then the merge, which must combine them.
const repo = fileURLToPath(new URL('..', import.meta.url))
const kubernetesDir = join(repo, 'examples', 'kubernetes')
const shardCount = 4
// the test copy of the scenario: its phases squeezed into this much of the plan, at most this rate (old and new on
// loopback are on this machine, so cutover runs them in turn: the load lasts twice as long)
const loadMs = 4000
const peakRate = 80

let dir: string
let old: ChildServer
let fresh: ChildServer

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cutover-recipes-'))
  ;[old, fresh] = await Promise.all([startChildServer('sleep-server.mjs', { DELAY_MS: '20' }), startChildServer('sleep-server.mjs', { DELAY_MS: '20' })])
})

afterAll(async () => {
  await Promise.all([old?.stop(), fresh?.stop()])
  rmSync(dir, { recursive: true, force: true })
})

/** A start time every shard shares: far enough ahead that four processes on a busy machine run before it (a late shard is refused, not raced). */
const startSoon = (): string => new Date(Date.now() + 10_000).toISOString()

/** The test runner's environment without what an engine would set for a shard (this test may itself run as a GitLab parallel job). */
function cleanEnvironment (extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(CUTOVER_|CI_NODE_|JOB_COMPLETION_INDEX$|GITHUB_)/.test(name)) env[name] = value
  }
  return { ...env, CI: 'true', ...extra }
}

/** Spawns `file args...` with exactly `env` (on top of the cleaned environment). */
function runProcess (file: string, args: string[], options: { cwd: string, env?: Record<string, string> }): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, env: cleanEnvironment(options.env ?? {}), stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${file} ${args.join(' ')} did not finish in time`)) }, 90_000)
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })
}

/** A recipe's shell line with `npx cutover` replaced by the built CLI, run as the engine runs it (bash, stop at the first error). */
const runShell = (line: string, cwd: string, env: Record<string, string> = {}): Promise<CliRun> =>
  runProcess('bash', ['-e', '-c', line.replaceAll('npx cutover', `node "${cliPath}"`)], { cwd, env })

/** The ConfigMap's scenario with its targets pointed at the two loopback servers and its phases squeezed into a few seconds; the rest as written. */
function testScenario (original: string): string {
  const document = parseDocument(original)
  const scenario = document.toJS() as { targets: Record<string, unknown>, phases: Array<Record<string, any>> }
  const names = Object.keys(scenario.targets)
  expect(names).toHaveLength(2)
  names.forEach((name, i) => document.setIn(['targets', name, 'url'], [old, fresh][i]?.url))
  const phases = scenario.phases
  const totalMs = phases.reduce((sum, phase) => sum + (parseDurationMs(phase.duration) ?? 0), 0)
  const rates = phases.flatMap((phase) => phase.rate === undefined ? [] : typeof phase.rate === 'object' ? [phase.rate.from, phase.rate.to] : [phase.rate])
  const scale = peakRate / Math.max(...rates.map((rate) => parseRatePerSec(rate) ?? 0))
  const scaled = (rate: string | number): number => Math.round((parseRatePerSec(rate) ?? 0) * scale)
  document.set('phases', phases.map((phase) => ({
    ...phase,
    duration: `${Math.max(500, Math.round((parseDurationMs(phase.duration) ?? 0) / totalMs * loadMs))}ms`,
    ...(phase.rate === undefined ? {} : { rate: typeof phase.rate === 'object' ? { from: scaled(phase.rate.from), to: scaled(phase.rate.to) } : scaled(phase.rate) }),
    ...(phase.connections === undefined ? {} : { connections: Math.min(Number(phase.connections), shardCount) })
  })))
  return document.toString()
}

/** What a merged run directory must hold: four shards merged, the report written. */
function expectMerged (runDir: string): void {
  const result = JSON.parse(readFileSync(join(runDir, 'result.json'), 'utf8')) as Record<string, any>
  expect(result.shards?.merged.map((shard: { index: number }) => shard.index)).toEqual([1, 2, 3, 4])
  expect(result.incomplete).toBeUndefined()
  for (const file of ['report.html', 'summary.md', 'junit.xml']) expect(existsSync(join(runDir, file)), file).toBe(true)
}

// ---------------------------------------------------------------------------------------------------------------
// Kubernetes

type KubernetesObject = Record<string, any>
const exampleStartAt = '2026-12-07T10:00:00Z'

/** Every object of every manifest, `${START_AT}` filled in as the README's envsubst does. */
function kubernetesObjects (startAt: string): Array<{ file: string, object: KubernetesObject }> {
  return readdirSync(kubernetesDir).filter((file) => file.endsWith('.yaml')).flatMap((file) => {
    const text = readFileSync(join(kubernetesDir, file), 'utf8').replaceAll('${START_AT}', startAt)
    expect(text, `${file}: a variable envsubst would not fill`).not.toContain('${')
    return parseAllDocuments(text).map((document) => {
      expect(document.errors, file).toEqual([])
      return { file, object: document.toJS() as KubernetesObject }
    })
  })
}

const schemas: Record<string, new (data: any) => { validate: () => void }> = {
  'batch/v1 Job': Job,
  'v1 ConfigMap': ConfigMap,
  'v1 PersistentVolumeClaim': PersistentVolumeClaim
}

/** Throws when `object` breaks the Kubernetes API schema of its kind. */
function validateKubernetes (object: KubernetesObject): void {
  const Model = schemas[`${String(object.apiVersion)} ${String(object.kind)}`]
  if (Model === undefined) throw new Error(`no schema here for ${String(object.apiVersion)} ${String(object.kind)}`)
  new Model(object).validate()
}

/** Kubernetes' `$(VAR)` expansion of env values, command and args: `$(NAME)` when NAME is defined (else left as written), `$$` for `$`. */
const expandKubernetes = (text: string, env: Record<string, string>): string =>
  text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name: string | undefined) => name === undefined ? '$' : env[name] ?? match)

/** The container's environment as the kubelet builds it: each value expanded from those before it; an Indexed Job's controller adds JOB_COMPLETION_INDEX. */
function containerEnvironment (container: KubernetesObject, completionIndex?: number): Record<string, string> {
  const env: Record<string, string> = {}
  for (const variable of container.env ?? []) {
    if (variable.value === undefined) throw new Error(`env ${String(variable.name)} has no plain value; this test does not know where it comes from`)
    env[variable.name] = expandKubernetes(String(variable.value), env)
  }
  if (completionIndex !== undefined) env.JOB_COMPLETION_INDEX ??= String(completionIndex)
  return env
}

describe('Kubernetes recipe', () => {
  const objects = (startAt = exampleStartAt): Array<{ file: string, object: KubernetesObject }> => kubernetesObjects(startAt)
  const find = (kind: string, name: string, startAt?: string): KubernetesObject => {
    const found = objects(startAt).find(({ object }) => object.kind === kind && object.metadata?.name === name)?.object
    if (found === undefined) throw new Error(`no ${kind} ${name} in examples/kubernetes`)
    return found
  }
  const container = (job: KubernetesObject): KubernetesObject => job.spec.template.spec.containers[0]
  const mountOf = (job: KubernetesObject, volume: KubernetesObject): string => container(job).volumeMounts.find((mount: KubernetesObject) => mount.name === volume.name).mountPath

  it('every manifest is valid against the Kubernetes API schema', () => {
    const found = objects()
    expect(found.map(({ file, object }) => `${file}: ${String(object.kind)}`).sort()).toEqual([
      'merge-job.yaml: Job', 'results-pvc.yaml: PersistentVolumeClaim', 'scenario-configmap.yaml: ConfigMap', 'shard-job.yaml: Job'
    ])
    for (const { file, object } of found) expect(() => validateKubernetes(object), file).not.toThrow()
  })

  it('the validation bites: a completion mode Kubernetes does not have, a parallelism that is a string', () => {
    const job = find('Job', 'cutover-shards')
    expect(() => validateKubernetes({ ...job, spec: { ...job.spec, completionMode: 'Sometimes' } })).toThrow(/completionMode/)
    expect(() => validateKubernetes({ ...job, spec: { ...job.spec, parallelism: '4' } })).toThrow(/parallelism/)
  })

  it('the shard Job is Indexed, parallelism = completions = CUTOVER_SHARD_COUNT, scenario and results mounted where its args look', () => {
    const job = find('Job', 'cutover-shards')
    const spec = job.spec
    expect(spec.completionMode).toBe('Indexed')
    expect(spec.parallelism).toBe(shardCount)
    expect(spec.completions).toBe(shardCount)
    expect(spec.template.spec.restartPolicy).toBe('Never')
    // no retries: a shard started again would be past the start time and refused
    expect(spec.backoffLimitPerIndex).toBe(0)
    const env = containerEnvironment(container(job), 0)
    expect(env.CUTOVER_SHARD_COUNT).toBe(String(shardCount))
    expect(env.CUTOVER_START_AT).toBe(exampleStartAt)
    const args = container(job).args.map((arg: string) => expandKubernetes(arg, env)) as string[]
    expect(args.slice(0, 4)).toEqual(['run', '/scenario/scenario.yaml', '--shard', 'auto'])
    const volumes = spec.template.spec.volumes as KubernetesObject[]
    const scenarioVolume = volumes.find((volume) => volume.configMap !== undefined) as KubernetesObject
    expect(scenarioVolume.configMap.name).toBe('cutover-scenario')
    expect(`${mountOf(job, scenarioVolume)}/scenario.yaml`).toBe(args[1])
    expect(find('ConfigMap', 'cutover-scenario').data['scenario.yaml']).toBeTypeOf('string')
    const resultsVolume = volumes.find((volume) => volume.persistentVolumeClaim !== undefined) as KubernetesObject
    expect(resultsVolume.persistentVolumeClaim.claimName).toBe('cutover-results')
    expect(args[args.indexOf('--out') + 1]).toBe(`${mountOf(job, resultsVolume)}/shard-0`)
    expect(find('PersistentVolumeClaim', 'cutover-results').spec.accessModes).toContain('ReadWriteMany')
  })

  it('the merge Job lists one directory per completion index, on the same volume, with the same image', () => {
    const shards = find('Job', 'cutover-shards')
    const merge = find('Job', 'cutover-merge')
    expect(merge.spec.backoffLimit).toBe(0)
    const outs = Array.from({ length: shards.spec.completions as number }, (_, index) => {
      const args = container(shards).args.map((arg: string) => expandKubernetes(arg, containerEnvironment(container(shards), index))) as string[]
      return args[args.indexOf('--out') + 1]
    })
    expect(outs).toEqual(['/results/shard-0', '/results/shard-1', '/results/shard-2', '/results/shard-3'])
    expect(container(merge).args).toEqual(['merge', ...outs, '--out', '/results/merged'])
    expect(merge.spec.template.spec.volumes).toEqual([{ name: 'results', persistentVolumeClaim: { claimName: 'cutover-results' } }])
    expect(container(merge).volumeMounts).toEqual([{ name: 'results', mountPath: '/results' }])
    expect(container(merge).image).toBe(container(shards).image)
  })

  it('the Dockerfile makes the image the Jobs expect: ENTRYPOINT cutover, installed globally from the packed tarball', () => {
    const dockerfile = readFileSync(join(kubernetesDir, 'Dockerfile'), 'utf8')
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim$/m)
    const entrypoint = /^ENTRYPOINT (.*)$/m.exec(dockerfile)?.[1]
    expect(JSON.parse(entrypoint ?? 'null')).toEqual(container(find('Job', 'cutover-shards')).command)
    expect(container(find('Job', 'cutover-merge')).command).toEqual(['cutover'])
    // a plain global install works since nothing needs an override (test/package-install.test.ts installs the tarball)
    expect(dockerfile).toMatch(/npm install --global --omit=dev .*\/tmp\/cutover-\*\.tgz/)
    expect(JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).overrides).toBeUndefined()
  })

  describe('run as four local processes with the environment Kubernetes gives the pods', () => {
    const root = (): string => join(dir, 'kubernetes')
    let shards: CliRun[]
    let merged: CliRun
    let validated: CliRun

    beforeAll(async () => {
      mkdirSync(join(root(), 'scenario'), { recursive: true })
      mkdirSync(join(root(), 'results'), { recursive: true })
      const scenario = find('ConfigMap', 'cutover-scenario').data['scenario.yaml'] as string
      writeFileSync(join(root(), 'as-written.yaml'), scenario)
      validated = await runCli(['validate', join(root(), 'as-written.yaml')])
      writeFileSync(join(root(), 'scenario', 'scenario.yaml'), testScenario(scenario))
      // each mount path of the pods is a local folder: the ConfigMap's and the volume's
      const local = (arg: string): string => arg.replace(/^\/(scenario|results)(?=\/|$)/, (_, mount: string) => join(root(), mount))
      const startAt = startSoon()
      const run = (job: KubernetesObject, index?: number): Promise<CliRun> => {
        const pod = container(job)
        expect(pod.command).toEqual(['cutover'])
        const env = containerEnvironment(pod, index)
        const args = (pod.args as string[]).map((arg) => local(expandKubernetes(arg, env)))
        expect(args.join(' ')).not.toContain('$(')
        return runProcess(process.execPath, [cliPath, ...args], { cwd: root(), env })
      }
      const shardJob = find('Job', 'cutover-shards', startAt)
      shards = await Promise.all(Array.from({ length: shardJob.spec.completions as number }, (_, index) => run(shardJob, index)))
      merged = await run(find('Job', 'cutover-merge'))
    }, 120_000)

    it('the ConfigMap\'s scenario is a valid scenario as written', () => {
      expect(validated.code, validated.stderr).toBe(0)
    })

    it('every shard ran its quarter and the merge combined them', () => {
      shards.forEach((shard, index) => expect(shard.code, `shard index ${index}: ${shard.stderr}`).toBe(0))
      expect(merged.code, merged.stderr).toBe(0)
      expect(merged.stdout).toContain('merged 4 of 4 shards')
      expectMerged(join(root(), 'results', 'merged'))
    })
  })
})

// ---------------------------------------------------------------------------------------------------------------
// GitHub Actions and GitLab CI

const recipe = (name: string): Record<string, any> => parse(readFileSync(join(repo, 'examples', 'ci', name), 'utf8')) as Record<string, any>
const configMapScenario = (): string => (kubernetesObjects(exampleStartAt).find(({ object }) => object.kind === 'ConfigMap')?.object.data['scenario.yaml'] as string)

/** A runner's fresh workspace holding the test copy of the scenario at the path the recipes name. */
function workspace (path: string): string {
  mkdirSync(join(path, 'scenarios'), { recursive: true })
  writeFileSync(join(path, 'scenarios', 'checkout.yaml'), testScenario(configMapScenario()))
  return path
}

/** Copies an artifact's folder from one job's workspace to another's, as the engine's upload and download do. */
function carry (from: string, to: string): void {
  mkdirSync(dirname(to), { recursive: true })
  cpSync(from, to, { recursive: true })
}

describe('GitHub Actions shards recipe', () => {
  const workflow = recipe('github-actions-shards.yml')
  const jobs = workflow.jobs as Record<string, { needs?: string, if?: string, outputs?: Record<string, string>, strategy?: any, steps: Array<Record<string, any>> }>
  const step = (job: string, test: (step: Record<string, any>) => boolean): Record<string, any> => {
    const found = jobs[job]?.steps.find(test)
    if (found === undefined) throw new Error(`no such step in job ${job}`)
    return found
  }
  const runs = (text: string) => (step: Record<string, any>): boolean => typeof step.run === 'string' && step.run.includes(text)
  const uses = (action: string) => (step: Record<string, any>): boolean => typeof step.uses === 'string' && step.uses.startsWith(action)
  const expression = /\$\{\{\s*([^}]*?)\s*\}\}/g
  /** `${{ ... }}` filled in from `values`; any other expression is a mistake here. */
  const fill = (text: string, values: Record<string, string>): string => text.replace(expression, (match, name: string) => {
    const value = values[name]
    if (value === undefined) throw new Error(`no value for ${match}`)
    return value
  })

  it('plans a start time, runs four shards that keep going when one fails, merges them and fails on the merged verdict', () => {
    expect(workflow.on).toBe('workflow_dispatch')
    expect(jobs.plan?.outputs?.start_at).toBe('${{ steps.start.outputs.start_at }}')
    expect(step('plan', (s) => s.id === 'start').run).toContain('$GITHUB_OUTPUT')
    expect(jobs.shard?.needs).toBe('plan')
    expect(jobs.shard?.strategy.matrix.shard).toEqual([1, 2, 3, 4])
    expect(jobs.shard?.strategy['fail-fast']).toBe(false)
    const shard = step('shard', runs('npx cutover run'))
    expect(shard.run).not.toContain('|| true')
    expect(shard['continue-on-error']).toBeUndefined()
    const upload = step('shard', uses('actions/upload-artifact'))
    expect(upload.if).toBe('always()')
    expect(upload.with).toMatchObject({ name: 'shard-${{ matrix.shard }}', path: 'reports/shard-${{ matrix.shard }}' })
    expect(jobs.merge?.needs).toBe('shard')
    expect(jobs.merge?.if).toBe('${{ !cancelled() }}')
    // each artifact lands in reports/<its name>: the folders the merge's glob names
    expect(step('merge', uses('actions/download-artifact')).with).toEqual({ pattern: 'shard-*', path: 'reports', 'merge-multiple': false })
    const merge = step('merge', runs('npx cutover merge'))
    expect(merge.run).not.toContain('||')
    expect(merge['continue-on-error']).toBeUndefined()
    const summary = step('merge', runs('$GITHUB_STEP_SUMMARY'))
    expect(summary.if).toMatch(/^always\(\)/)
    expect(summary.run).toContain('reports/merged/summary.md')
    const kept = step('merge', uses('actions/upload-artifact'))
    expect(kept.if).toBe('always()')
    expect(kept.with.path).toBe('reports/merged')
  })

  describe('run as four local processes with the values GitHub fills in', () => {
    const root = (): string => join(dir, 'github')
    let planned: string
    let shards: CliRun[]
    let merged: CliRun
    let summary: CliRun

    beforeAll(async () => {
      mkdirSync(root(), { recursive: true })
      const outputs = join(root(), 'github-output')
      const plan = await runShell(step('plan', (s) => s.id === 'start').run as string, root(), { GITHUB_OUTPUT: outputs })
      expect(plan.code, plan.stderr).toBe(0)
      planned = /^start_at=(.*)$/m.exec(readFileSync(outputs, 'utf8'))?.[1] ?? ''
      // the planned time is minutes away; the processes here start within seconds
      const startAt = startSoon()
      const shardRun = step('shard', runs('npx cutover run')).run as string
      const upload = step('shard', uses('actions/upload-artifact')).with as { name: string, path: string }
      const merge = workspace(join(root(), 'merge'))
      shards = await Promise.all([1, 2, 3, 4].map(async (index) => {
        const values = { 'matrix.shard': String(index), 'needs.plan.outputs.start_at': startAt }
        const runner = workspace(join(root(), `runner-${index}`))
        const run = await runShell(fill(shardRun, values), runner)
        carry(join(runner, fill(upload.path, values)), join(merge, 'reports', fill(upload.name, values)))
        return run
      }))
      merged = await runShell(step('merge', runs('npx cutover merge')).run as string, merge)
      summary = await runShell(step('merge', runs('$GITHUB_STEP_SUMMARY')).run as string, merge, { GITHUB_STEP_SUMMARY: join(root(), 'step-summary.md') })
    }, 120_000)

    it('the plan job\'s start time is an ISO time about three minutes ahead', () => {
      expect(planned).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
      const aheadMs = new Date(planned).getTime() - Date.now()
      expect(aheadMs).toBeGreaterThan(60_000)
      expect(aheadMs).toBeLessThan(181_000)
    })

    it('every shard ran its quarter, the merge combined them and its summary went to the job page', () => {
      shards.forEach((shard, index) => expect(shard.code, `shard ${index + 1}: ${shard.stderr}`).toBe(0))
      expect(merged.code, merged.stderr).toBe(0)
      expect(merged.stdout).toContain('merged 4 of 4 shards')
      expectMerged(join(root(), 'merge', 'reports', 'merged'))
      expect(summary.code, summary.stderr).toBe(0)
      expect(readFileSync(join(root(), 'step-summary.md'), 'utf8')).toBe(readFileSync(join(root(), 'merge', 'reports', 'merged', 'summary.md'), 'utf8'))
    })
  })
})

describe('GitLab CI shards recipe', () => {
  const pipeline = recipe('gitlab-ci-shards.yml')
  const startJob = pipeline['cutover-start-at'] as Record<string, any>
  const shardJob = pipeline['cutover-shard'] as Record<string, any>
  const mergeJob = pipeline['cutover-merge'] as Record<string, any>
  const cutoverLines = (job: Record<string, any>): string[] => {
    // the other lines only install: npm ci
    expect((job.script as string[]).filter((line) => !line.startsWith('npx cutover'))).toEqual(['npm ci'])
    return (job.script as string[]).filter((line) => line.startsWith('npx cutover'))
  }

  it('a start time in .pre passed on as CUTOVER_START_AT, four parallel shards kept always, a later merge with junit.xml', () => {
    expect(startJob.stage).toBe('.pre')
    expect(startJob.artifacts.reports.dotenv).toBe('start.env')
    expect(shardJob.parallel).toBe(shardCount)
    expect(shardJob.needs).toEqual(['cutover-start-at'])
    expect(cutoverLines(shardJob)).toHaveLength(1)
    expect(cutoverLines(shardJob)[0]).not.toContain('||')
    // a shard's checks judge its quarter and never fail it: no failure to allow
    expect(shardJob.allow_failure).toBeUndefined()
    expect(shardJob.artifacts.when).toBe('always')
    expect(shardJob.artifacts.paths).toEqual(['reports/shard-$CI_NODE_INDEX'])
    const stages = pipeline.stages as string[]
    expect(stages.indexOf(mergeJob.stage as string)).toBeGreaterThan(stages.indexOf(shardJob.stage as string))
    expect(mergeJob.needs).toEqual(['cutover-shard'])
    expect(mergeJob.rules.map((rule: { if: string }) => rule.if)).toEqual(pipeline['.cutover'].rules.map((rule: { if: string }) => rule.if))
    expect(mergeJob.rules.every((rule: { when?: string }) => rule.when === 'always')).toBe(true)
    expect(cutoverLines(mergeJob)).toEqual(['npx cutover merge reports/shard-* --out reports/merged'])
    expect(mergeJob.after_script.join('\n')).toContain('reports/merged/summary.md')
    expect(mergeJob.artifacts.when).toBe('always')
    expect(mergeJob.artifacts.paths).toEqual(['reports/merged'])
    expect(mergeJob.artifacts.reports.junit).toBe('reports/merged/junit.xml')
  })

  describe('run as four local processes with the variables GitLab sets', () => {
    const root = (): string => join(dir, 'gitlab')
    let dotenv: string
    let shards: CliRun[]
    let merged: CliRun

    beforeAll(async () => {
      mkdirSync(root(), { recursive: true })
      const plan = await runShell((startJob.script as string[]).join('\n'), root())
      expect(plan.code, plan.stderr).toBe(0)
      dotenv = readFileSync(join(root(), 'start.env'), 'utf8')
      const startAt = startSoon()
      const merge = workspace(join(root(), 'merge'))
      shards = await Promise.all([1, 2, 3, 4].map(async (index) => {
        const env = { CI_NODE_INDEX: String(index), CI_NODE_TOTAL: String(shardCount), CUTOVER_START_AT: startAt }
        const runner = workspace(join(root(), `runner-${index}`))
        const run = await runShell(cutoverLines(shardJob).join('\n'), runner, env)
        // the runner expands variables in artifacts:paths; the merge job gets them back at the same paths
        for (const path of shardJob.artifacts.paths as string[]) {
          const expanded = path.replaceAll('$CI_NODE_INDEX', String(index))
          carry(join(runner, expanded), join(merge, expanded))
        }
        return run
      }))
      merged = await runShell(cutoverLines(mergeJob).join('\n'), merge)
    }, 120_000)

    it('the .pre job writes CUTOVER_START_AT as an ISO time about three minutes ahead', () => {
      const startAt = /^CUTOVER_START_AT=(\S+)$/m.exec(dotenv)?.[1] ?? ''
      expect(startAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
      const aheadMs = new Date(startAt).getTime() - Date.now()
      expect(aheadMs).toBeGreaterThan(60_000)
      expect(aheadMs).toBeLessThan(181_000)
    })

    it('every shard ran its quarter and the merge combined them, junit.xml where the job publishes it', () => {
      shards.forEach((shard, index) => expect(shard.code, `CI_NODE_INDEX ${index + 1}: ${shard.stderr}`).toBe(0))
      expect(merged.code, merged.stderr).toBe(0)
      expect(merged.stdout).toContain('merged 4 of 4 shards')
      expectMerged(join(root(), 'merge', 'reports', 'merged'))
      expect(existsSync(join(root(), 'merge', mergeJob.artifacts.reports.junit as string))).toBe(true)
    })
  })
})
