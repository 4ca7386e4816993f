/** Random draws for resampling and synthetic series, from a seedable uniform generator (core/random.ts). */

/** A standard normal draw (Box–Muller) from a uniform generator. */
export function standardNormal (random: () => number): number {
  // 1 - u keeps the logarithm's argument in (0, 1]
  const radius = Math.sqrt(-2 * Math.log(1 - random()))
  return radius * Math.cos(2 * Math.PI * random())
}

/** A uniform integer in [0, bound) from a uniform generator. */
export function randomIndex (random: () => number, bound: number): number {
  return Math.min(bound - 1, Math.floor(random() * bound))
}
