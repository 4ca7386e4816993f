/**
 * `--set phases.steady.rate=500` and `--url old=http://…`: scenario values changed for one run without editing the
 * file, as Helm's `--set` does. A path walks mappings by key and lists by index or by the `name` of an entry
 * (`phases.steady`, `requests.home`); the value is read as YAML (`500` a number, `true` a boolean, `30s` text, `null`
 * removes the field, or the list entry a path ends at).
 * Overrides are applied before validation, so a wrong value is refused as one in the file would be.
 */
import { parse } from 'yaml'
import { CutoverError } from '../core/errors.js'
import { didYouMean } from './did-you-mean.js'
import { formatFieldPath } from './locate.js'

/** One override as given on the command line. */
export interface ScenarioOverride {
  /** As typed: `--set phases.steady.rate=500`. */
  flag: string
  path: string[]
  value: unknown
  /** The field it set, as issues name fields (`phases[1].rate`); set when applied. */
  field?: string
}

/** Reads `--set path=value`. */
export function parseSetFlag (text: string): ScenarioOverride {
  const at = text.indexOf('=')
  const path = at <= 0 ? [] : text.slice(0, at).split('.')
  if (at <= 0 || path.some((part) => part === '')) {
    throw new CutoverError('USAGE', `--set ${text}: expected path=value, such as --set phases.steady.rate=500`)
  }
  let value: unknown
  try {
    value = parse(text.slice(at + 1))
  } catch {
    value = text.slice(at + 1)
  }
  // `null` (or nothing: `path=`) removes the field, so `--set phases.steady.connections=null` can make room for a rate
  return { flag: `--set ${text}`, path, value: value ?? null }
}

/** Reads `--url name=URL`: the target's `url`. */
export function parseUrlFlag (text: string): ScenarioOverride {
  const at = text.indexOf('=')
  if (at <= 0 || at === text.length - 1) throw new CutoverError('USAGE', `--url ${text}: expected target=URL, such as --url new=http://127.0.0.1:8080`)
  return { flag: `--url ${text}`, path: ['targets', text.slice(0, at), 'url'], value: text.slice(at + 1) }
}

/** How an override is recorded: `phases.steady.rate=500`. */
export function describeOverride (override: ScenarioOverride): string {
  return `${override.path.join('.')}=${typeof override.value === 'string' ? override.value : JSON.stringify(override.value)}`
}

/** Applies every override to the parsed scenario, in order; a path that leads nowhere is a usage error naming what is there. */
export function applyOverrides (data: Record<string, unknown>, overrides: ScenarioOverride[]): void {
  for (const override of overrides) {
    let node: unknown = data
    const walked: Array<string | number> = []
    override.path.forEach((part, index) => {
      const last = index === override.path.length - 1
      if (Array.isArray(node)) {
        const position = /^\d+$/.test(part) ? Number(part) : node.findIndex((entry) => (entry as { name?: unknown } | null)?.name === part)
        if (position >= 0 && position < node.length && last) {
          // the entry itself: null takes it out of the list (--set phases.flood=null), a value replaces it
          walked.push(position)
          if (override.value === null) node.splice(position, 1)
          else node[position] = override.value
          return
        }
        if (position < 0 || position >= node.length) {
          const names = node.map((entry) => (entry as { name?: unknown } | null)?.name).filter((name): name is string => typeof name === 'string')
          const suggestion = didYouMean(part, names)
          throw new CutoverError('USAGE', `${override.flag}: ${formatFieldPath(walked) || 'the scenario'} has no entry "${part}"` +
            (suggestion === undefined ? (names.length === 0 ? ` (it has ${node.length})` : `; it has ${names.map((name) => `"${name}"`).join(', ')}`) : `; did you mean "${suggestion}"?`),
          { hint: 'name a list entry by its name (phases.steady) or its index from 0 (phases.0), then a field (phases.steady.rate=500)' })
        }
        walked.push(position)
        node = node[position]
        return
      }
      if (node === null || typeof node !== 'object') {
        throw new CutoverError('USAGE', `${override.flag}: ${formatFieldPath(walked)} is a value, not a mapping, so it has no "${part}"`)
      }
      const map = node as Record<string, unknown>
      walked.push(part)
      if (last) {
        if (override.value === null) delete map[part]
        else map[part] = override.value
        return
      }
      if (!Object.hasOwn(map, part) || map[part] === null || map[part] === undefined) map[part] = {}
      node = map[part]
    })
    override.field = formatFieldPath(walked)
  }
}
