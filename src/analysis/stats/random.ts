/** Seeded random numbers, so every resample and every synthetic series can be repeated exactly. */

/** mulberry32: a small, fast generator of uniforms in [0, 1) from a 32-bit seed. */
export function seededRandom (seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

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
