/** The file `cutover init` starts from (`--har`, `--openapi`): there, a file, and not too large — or an INIT_SOURCE error naming it. */

import { statSync } from 'node:fs'
import { CutoverError } from '../../core/errors.js'

/** Checks the source file given to `flag`; `what` says in the hint what the flag expects. */
export function checkSourceFile (flag: string, file: string, maxBytes: number, what: string): void {
  let size: number
  try {
    const stat = statSync(file)
    if (!stat.isFile()) throw new CutoverError('INIT_SOURCE', `${flag} ${file} is not a file`)
    size = stat.size
  } catch (error) {
    if (error instanceof CutoverError) throw error
    throw new CutoverError('INIT_SOURCE', `${flag} ${file}: no such file`, { hint: `give the path of ${what}`, cause: error })
  }
  if (size > maxBytes) throw new CutoverError('INIT_SOURCE', `${flag} ${file} is ${size} bytes; cutover reads at most ${maxBytes}`)
}
