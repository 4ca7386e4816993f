/** `-e, --env KEY=VALUE`: values that `env()` in a scenario reads, over the process's own environment. */
import { CutoverError } from '../core/errors.js'

/** Commander's collector for a repeatable `-e KEY=VALUE` (`-e A=1 -e B=2`; never swallows the scenario argument). */
export function collectPairs (value: string, previous: string[] = []): string[] {
  return [...previous, value]
}

/** The environment a command runs with: the process's, with each `KEY=VALUE` of `pairs` set over it. */
export function environmentWith (pairs: readonly string[] | undefined, base: Record<string, string | undefined> = process.env): Record<string, string | undefined> {
  if (pairs === undefined || pairs.length === 0) return base
  const env = { ...base }
  for (const pair of pairs) {
    const at = pair.indexOf('=')
    const key = at < 0 ? '' : pair.slice(0, at)
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new CutoverError('USAGE', `-e expects KEY=VALUE such as -e API_KEY=secret, got "${pair}"`)
    env[key] = pair.slice(at + 1)
  }
  return env
}
