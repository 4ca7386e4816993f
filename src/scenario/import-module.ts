/**
 * Imports scenario code (a scenario module or a hooks module) written in TypeScript or JavaScript, ESM or CommonJS.
 * jiti does it without a build step or a flag (Node 20 cannot import TypeScript by itself): it is plain JavaScript
 * with no dependencies and no install script, so it installs anywhere from the registry (ESLint loads its
 * `eslint.config.ts` the same way); a module's own relative imports of `.ts` files work too.
 */
import { createJiti } from 'jiti'

/** File endings of scenario code. */
export const codeExtensions = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'] as const

/** True when `file` names scenario code rather than YAML or JSON. */
export function isCodeFile (file: string): boolean {
  return codeExtensions.some((extension) => file.toLowerCase().endsWith(extension))
}

/** The module's exports; the keys of an object exported as default are folded in, so its functions read as named exports. */
export async function importModule (file: string): Promise<Record<string, unknown>> {
  // fresh each time (a file edited between two loads in one process is read again); nothing cached on disk
  const jiti = createJiti(import.meta.url, { moduleCache: false, fsCache: false })
  let loaded = await jiti.import<Record<string, unknown>>(file)
  if (loaded === null || typeof loaded !== 'object') loaded = { default: loaded }
  // CommonJS compiled from ES modules keeps its ES exports inside `default`
  const inner = loaded.default as Record<string, unknown> | null | undefined
  if (inner !== null && typeof inner === 'object' && inner.__esModule === true) loaded = inner
  const fallback = loaded.default
  // `module.exports = { beforeRequest }` (or `export default { ... }`) arrives as `default`; named exports win
  if (fallback !== null && typeof fallback === 'object') return { ...(fallback as Record<string, unknown>), ...loaded }
  return loaded
}
