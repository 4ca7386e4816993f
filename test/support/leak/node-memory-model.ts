/**
 * A small model of how a Node.js process's memory looks when sampled once a
 * second: a post-GC floor, an old-generation sawtooth that major GCs cut,
 * young-generation noise, and RSS that follows committed heap and gives it
 * back slowly. The synthetic corpus adds leaks, caches and load on top.
 */
import { seededRandom } from '../../../src/core/random.js'

/** A seeded source of uniform numbers in [0, 1). */
export type Random = () => number

const MB = 1e6

/** Seeded uniforms in [0, 1), so every synthetic series can be regenerated. */
export const seededUniform: (seed: number) => Random = seededRandom

/** Uniform in [low, high). */
export function uniform (random: Random, low: number, high: number): number {
  return low + (high - low) * random()
}

/** Standard normal deviate (Box–Muller). */
export function gaussian (random: Random): number {
  const u = Math.max(random(), 1e-12)
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random())
}

/** Parameters of the garbage-collection pattern. */
export interface GcProfile {
  /** Heap reached just before a major GC, above the floor, bytes (the sawtooth amplitude). */
  sawtoothBytes: number
  /** Range of seconds between major GCs. */
  periodSec: [number, number]
  /** Spread of the post-GC floor from one GC to the next (floating garbage), bytes. */
  floorJitterBytes: number
  /** Young-generation contents at a sample: uniform in [0, this), bytes. */
  youngBytes: number
  /** Memory outside the JS heap (code, stacks, malloc arenas), bytes. */
  nativeBytes: number
  /** How fast V8 hands unused committed heap back to the OS, bytes per second. */
  releaseBytesPerSec: number
}

/** A random GC profile in the ranges seen on Node services under load. */
export function randomGcProfile (random: Random, sawtoothMb: [number, number] = [5, 30], periodSec: [number, number] = [3, 10]): GcProfile {
  const low = uniform(random, periodSec[0], (periodSec[0] + periodSec[1]) / 2)
  return {
    sawtoothBytes: uniform(random, sawtoothMb[0], sawtoothMb[1]) * MB,
    periodSec: [low, uniform(random, low + 1, periodSec[1])],
    floorJitterBytes: uniform(random, 0.15, 0.5) * MB,
    youngBytes: uniform(random, 1, 4) * MB,
    nativeBytes: uniform(random, 35, 70) * MB,
    releaseBytesPerSec: uniform(random, 0.5, 2) * MB
  }
}

/** Memory of one process over time, one call per sample. */
export class NodeMemoryModel {
  private readonly random: Random
  private readonly gc: GcProfile
  private cycleStartSec = 0
  private cyclePeriodSec: number
  private cycleAmplitude: number
  private floorOffset: number
  private committedBytes = 0

  constructor (random: Random, gc: GcProfile) {
    this.random = random
    this.gc = gc
    this.cyclePeriodSec = this.nextPeriod()
    this.cycleAmplitude = this.nextAmplitude()
    this.floorOffset = this.nextOffset()
  }

  /** Starts afresh, as a restarted process does. */
  restart (tSec: number): void {
    this.cycleStartSec = tSec
    this.committedBytes = 0
  }

  /** Heap and RSS at `tSec`, for a post-GC heap floor and extra native memory. */
  sample (tSec: number, heapFloorBytes: number, nativeExtraBytes: number): { heapBytes: number, rssBytes: number } {
    while (tSec >= this.cycleStartSec + this.cyclePeriodSec) {
      this.cycleStartSec += this.cyclePeriodSec
      this.cyclePeriodSec = this.nextPeriod()
      this.cycleAmplitude = this.nextAmplitude()
      this.floorOffset = this.nextOffset()
    }
    const garbage = this.cycleAmplitude * ((tSec - this.cycleStartSec) / this.cyclePeriodSec)
    const young = this.random() * this.gc.youngBytes
    const heapBytes = Math.max(1 * MB, heapFloorBytes + this.floorOffset + garbage + young)
    // Committed heap jumps up with use and drifts back down slowly.
    const wanted = heapBytes * 1.08 + 2 * MB
    this.committedBytes = Math.max(wanted, this.committedBytes - this.gc.releaseBytesPerSec)
    const rssBytes = this.gc.nativeBytes + nativeExtraBytes + this.committedBytes + gaussian(this.random) * 0.1 * MB
    return { heapBytes: Math.round(heapBytes), rssBytes: Math.round(rssBytes) }
  }

  private nextPeriod (): number {
    return uniform(this.random, this.gc.periodSec[0], this.gc.periodSec[1])
  }

  private nextAmplitude (): number {
    return this.gc.sawtoothBytes * uniform(this.random, 0.7, 1.3)
  }

  private nextOffset (): number {
    return gaussian(this.random) * this.gc.floorJitterBytes
  }
}
