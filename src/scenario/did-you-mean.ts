import { distance } from 'fastest-levenshtein'

/** The known word closest to `word`, if it is close enough to be a likely typo. */
export function didYouMean (word: string, known: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Infinity
  const lower = word.toLowerCase()
  for (const candidate of known) {
    const d = candidate.toLowerCase() === lower ? 0 : isAdjacentSwap(lower, candidate.toLowerCase()) ? 1 : distance(lower, candidate.toLowerCase())
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  // short words allow one typo; longer ones a swapped pair or about one typo per three letters
  const allowed = word.length <= 3 ? 1 : Math.max(2, Math.floor(word.length / 3))
  return best !== undefined && bestDistance <= allowed ? best : undefined
}

/** True when `b` is `a` with two neighbouring letters swapped ("pdi" and "pid"), a typo Levenshtein counts as two. */
function isAdjacentSwap (a: string, b: string): boolean {
  if (a.length !== b.length) return false
  const differ: number[] = []
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) differ.push(i)
  const [i, j] = differ
  return differ.length === 2 && i !== undefined && j === i + 1 && a[i] === b[j] && a[j] === b[i]
}
