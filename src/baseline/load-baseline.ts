/** Reads a baseline file and refuses, with what to do, anything cutover cannot compare against. */

import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { CutoverError } from '../core/errors.js'
import { baselineKind, baselineSchemaVersion, type BaselineFile } from '../analysis/baseline/baseline-format.js'

const count = z.number().int().nonnegative()
const numbers = z.array(z.number())
const latency = z.object({ p50: z.number(), p90: z.number(), p95: z.number(), p99: z.number(), p999: z.number(), max: z.number(), mean: z.number() })

/** The fields a comparison reads; the rest is kept as written. */
const storedShape = z.object({
  savedAt: z.string(),
  tool: z.object({ version: z.string() }),
  scenario: z.object({ name: z.string() }),
  source: z.object({ runDir: z.string(), startedAt: z.string() }),
  environment: z.object({ cutover: z.string(), node: z.string(), platform: z.string(), arch: z.string(), cpuModel: z.string(), cores: z.number() }),
  plan: z.object({ intervalMs: z.number(), phases: z.array(z.object({ kind: z.enum(['open', 'closed']), name: z.string(), durationMs: z.number() })) }),
  targets: z.record(z.string(), z.object({
    requests: z.object({ total: count, ok: count, failed: count }),
    throughput: z.object({ mean: z.number(), max: z.number() }),
    latencyMs: latency,
    phases: z.array(z.object({ name: z.string(), histogram: z.string() })),
    resources: z.object({ rssMeanBytes: z.number(), rssPeakBytes: z.number(), cpuMeanPercent: z.number() }).optional(),
    capacity: z.object({ maxRps: z.number(), bracket: z.tuple([z.number(), z.number()]) }).optional(),
    series: z.object({
      latencyModel: z.enum(['open', 'closed', 'none']),
      latencyWindows: z.array(z.string()),
      closedThroughput: numbers,
      cpuMsPerRequest: numbers,
      rssBytes: numbers,
      requests: z.object({ failed: count, total: count }).refine((r) => r.failed <= r.total, 'failed requests exceed the total')
    })
  }))
})

/** Upgrades of older layouts, by the version they upgrade from; none yet, as schema 1 is the first. */
const migrations: Partial<Record<number, (raw: Record<string, unknown>) => Record<string, unknown>>> = {}

const resave = 'save the baseline again with `cutover baseline save <run-dir>`'

function readText (path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new CutoverError('BASELINE_MISSING', `no baseline at ${path}: save one with \`cutover baseline save <run-dir>\``)
    throw new CutoverError('BASELINE_INVALID', `cannot read the baseline ${path}: ${error instanceof Error ? error.message : String(error)}`)
  }
}

function looksLikeResult (raw: Record<string, unknown>): boolean {
  return typeof raw.tool === 'object' && typeof raw.targets === 'object' && Array.isArray(raw.checks)
}

/** Reads, checks and (when an upgrade exists) migrates the baseline at `path`; every refusal is a CutoverError. */
export function loadBaseline (path: string): BaselineFile {
  const text = readText(path)
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    throw new CutoverError('BASELINE_INVALID', `baseline ${path} is not valid JSON (${error instanceof Error ? error.message : String(error)}): restore it from version control or ${resave}`)
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || (raw as Record<string, unknown>).kind !== baselineKind) {
    const kind = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>).kind : undefined
    const what = kind === undefined ? 'it has no kind' : `its kind is ${JSON.stringify(kind)}`
    const result = raw !== null && typeof raw === 'object' && looksLikeResult(raw as Record<string, unknown>)
    throw new CutoverError('BASELINE_INVALID', `${path} is not a cutover baseline (${what}, expected "${baselineKind}"): ` +
      (result ? 'it looks like a run\'s result.json; save that run as a baseline with `cutover baseline save <run-dir>`' : 'pass a file written by `cutover baseline save`'))
  }
  let record = raw as Record<string, unknown>
  const version = record.schemaVersion
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    throw new CutoverError('BASELINE_INVALID', `baseline ${path} has no valid schemaVersion (${JSON.stringify(version)}): ${resave}`)
  }
  if (version > baselineSchemaVersion) {
    throw new CutoverError('BASELINE_INVALID', `${path}: baseline was written by a newer cutover (schema ${version}); this cutover reads schema ${baselineSchemaVersion}: upgrade cutover or save the baseline again`)
  }
  for (let from = version; from < baselineSchemaVersion; from++) {
    const migrate = migrations[from]
    if (migrate === undefined) {
      throw new CutoverError('BASELINE_INVALID', `${path}: baseline was written by an older cutover (schema ${version}) that this cutover cannot migrate (it reads schema ${baselineSchemaVersion}): ${resave}`)
    }
    record = { ...migrate(record), schemaVersion: from + 1 }
  }
  const checked = storedShape.safeParse(record)
  if (!checked.success) {
    const issue = checked.error.issues[0]
    const field = issue === undefined ? '' : issue.path.map(String).join('.')
    throw new CutoverError('BASELINE_INVALID', `baseline ${path} is damaged: ${field === '' ? '' : `${field}: `}${issue?.message ?? 'unexpected layout'}: restore it from version control or ${resave}`)
  }
  return record as unknown as BaselineFile
}
