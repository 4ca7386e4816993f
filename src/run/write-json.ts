import { renameSync, writeFileSync } from 'node:fs'

/** Writes JSON atomically: a temporary file, then a rename, so readers never see half a file. */
export function writeJsonAtomic (path: string, value: unknown): void {
  const temporary = `${path}.tmp-${process.pid}`
  writeFileSync(temporary, JSON.stringify(value, null, 2) + '\n')
  renameSync(temporary, path)
}
