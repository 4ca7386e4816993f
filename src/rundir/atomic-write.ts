import { renameSync, writeFileSync } from 'node:fs'

/** Writes text atomically: a temporary file, then a rename, so readers never see half a file. */
export function writeTextAtomic (path: string, text: string): void {
  const temporary = `${path}.tmp-${process.pid}`
  writeFileSync(temporary, text)
  renameSync(temporary, path)
}

/** Writes JSON atomically, indented, with a final newline. */
export function writeJsonAtomic (path: string, value: unknown): void {
  writeTextAtomic(path, JSON.stringify(value, null, 2) + '\n')
}
