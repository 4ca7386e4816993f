/**
 * Which targets play old, new and the noise reference. The noise reference is a second instance of old (`old2`) when
 * the scenario has one, otherwise old itself asked a second time.
 */

import { CutoverError } from '../core/errors.js'

/** The targets of a shadow run. */
export interface ShadowArms {
  old: string
  new: string
  /** A second instance of old for the noise answers; undefined: old answers twice. */
  old2: string | undefined
  /** Said to the user when the roles were guessed from the order of the targets. */
  note: string | undefined
}

/** Target names chosen on the command line. */
export interface ArmFlags {
  old?: string | undefined
  new?: string | undefined
  old2?: string | undefined
}

/** The roles: flags first, then targets named old/new/old2, then the first two targets in the file. */
export function shadowArms (targetNames: readonly string[], flags: ArmFlags = {}): ShadowArms {
  for (const [flag, name] of [['old', flags.old], ['new', flags.new], ['old2', flags.old2]] as const) {
    if (name !== undefined && !targetNames.includes(name)) {
      throw new CutoverError('USAGE', `--${flag} ${name}: the scenario has no such target (it has ${targetNames.join(', ')})`)
    }
  }
  let note: string | undefined
  let oldName: string | undefined
  let newName: string | undefined
  if (flags.old !== undefined || flags.new !== undefined) {
    const preferred = (wanted: string, taken: string | undefined): string | undefined =>
      targetNames.includes(wanted) && wanted !== taken ? wanted : targetNames.find((name) => name !== taken && name !== 'old2')
    oldName = flags.old ?? preferred('old', flags.new)
    newName = flags.new ?? preferred('new', oldName)
  } else if (targetNames.includes('old') && targetNames.includes('new')) {
    oldName = 'old'
    newName = 'new'
  } else {
    if (targetNames.length < 2) {
      throw new CutoverError('SHADOW_CONFIG', `a shadow run needs two targets, old and new; the scenario has ${targetNames.length === 0 ? 'none' : `only ${targetNames.join(', ')}`}`, {
        hint: 'add the new service as a second target'
      })
    }
    oldName = targetNames[0]
    newName = targetNames[1]
    note = `no targets named old and new: shadowing with "${oldName}" as old and "${newName}" as new (the first two targets; choose with --old and --new)`
  }
  if (oldName === undefined || newName === undefined || oldName === newName) {
    throw new CutoverError('SHADOW_CONFIG', 'old and new must be two different targets', { hint: 'choose them with --old and --new' })
  }
  let old2 = flags.old2
  if (old2 === undefined && targetNames.includes('old2') && oldName !== 'old2' && newName !== 'old2') old2 = 'old2'
  if (old2 !== undefined && (old2 === oldName || old2 === newName)) {
    throw new CutoverError('USAGE', `--old2 ${old2} must be a third target, not old or new`)
  }
  return { old: oldName, new: newName, old2, note }
}
