import { describe, expect, it } from 'vitest'
import { cutoverErrorCodes } from '../src/core/errors.js'
import { exitCodeForError, exitCodeOfError, exitCodes } from '../src/cli/exit-codes.js'

describe('error codes and exit codes', () => {
  it('every error code has exactly one exit code, and the table names no code that does not exist', () => {
    expect(Object.keys(exitCodeOfError).sort()).toEqual([...cutoverErrorCodes].sort())
    expect(new Set(cutoverErrorCodes).size).toBe(cutoverErrorCodes.length)
  })

  it('target trouble is 3, everything else a user can fix in a file or a flag 2 (SPEC §4; a bug in cutover is no CutoverError, and exits 70)', () => {
    for (const code of cutoverErrorCodes) {
      const expected = code.startsWith('TARGET_') ? exitCodes.target : exitCodes.usage
      expect(exitCodeForError(code), code).toBe(expected)
    }
  })
})
