/** Colours used everywhere in the reports: one per target, one per check status, pale bands per phase. */
import type { CheckStatus } from '../../core/result-types.js'

/** Old is grey-blue and new is orange in every chart and table; other targets take the next colours. */
const namedTargetColors: Record<string, string> = { old: '#5b7a99', new: '#e8710a' }
const otherTargetColors = ['#2a9d8f', '#8e44ad', '#c0392b', '#3d5a80', '#b8860b', '#16a085', '#d35400', '#7f8c8d']

/** Words for the target colours, where a chart cannot show a legend (Mermaid charts in summary.md). */
export const colorNames: Readonly<Record<string, string>> = {
  '#5b7a99': 'grey-blue', '#e8710a': 'orange', '#2a9d8f': 'teal', '#8e44ad': 'purple', '#c0392b': 'red', '#3d5a80': 'navy',
  '#b8860b': 'ochre', '#16a085': 'green', '#d35400': 'rust', '#7f8c8d': 'grey'
}

/** A colour for each target, stable for the names `old` and `new`, in order of appearance for others. */
export function targetColors (names: readonly string[]): Record<string, string> {
  const colors: Record<string, string> = {}
  let next = 0
  for (const name of names) {
    const named = namedTargetColors[name.toLowerCase()]
    if (named !== undefined) {
      colors[name] = named
    } else {
      colors[name] = otherTargetColors[next % otherTargetColors.length] ?? '#555555'
      next++
    }
  }
  return colors
}

/** Check, comparison and leak outcomes: green, red, amber, purple; neutral grey for anything else. */
export const statusColors: Record<CheckStatus | 'neutral', string> = {
  pass: '#1a7f37',
  fail: '#cf222e',
  warn: '#b35900',
  inconclusive: '#8250df',
  neutral: '#6e7781'
}

/** The colour of a status word, including leak and shadow verdicts. */
export function colorOfStatus (status: string): string {
  switch (status) {
    case 'pass': case 'stable': return statusColors.pass
    case 'fail': case 'leak': case 'real': return statusColors.fail
    case 'warn': case 'saturating': return statusColors.warn
    case 'inconclusive': return statusColors.inconclusive
    default: return statusColors.neutral
  }
}

const bandColors = ['rgba(91,122,153,0.07)', 'rgba(232,113,10,0.07)', 'rgba(42,157,143,0.08)', 'rgba(142,68,173,0.07)', 'rgba(184,134,11,0.08)', 'rgba(61,90,128,0.07)']

/** A pale background for the n-th distinct phase name. */
export function phaseBandColor (index: number): string {
  return bandColors[index % bandColors.length] ?? 'rgba(0,0,0,0.05)'
}

/** `#rrggbb` with an alpha, for fills. */
export function withAlpha (hex: string, alpha: number): string {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex)
  if (match === null) return hex
  return `rgba(${parseInt(match[1] ?? '0', 16)},${parseInt(match[2] ?? '0', 16)},${parseInt(match[3] ?? '0', 16)},${alpha})`
}
