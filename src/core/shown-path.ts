/** Paths as a user reads them in messages. */
import { isAbsolute, relative } from 'node:path'

/** `path` relative to the working folder when it lies inside it, else as given. */
export function shownPath (path: string): string {
  const rel = relative(process.cwd(), path)
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path
}
