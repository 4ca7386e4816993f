import { describe, expect, it } from 'vitest'
import { parseDurationMs, parseFraction, parseGrowthBytesPerSec, parseSizeBytes, parseTolerance } from '../src/core/units.js'

describe('units', () => {
  it.each([
    ['500ms', 500], ['30s', 30_000], ['2m', 120_000], ['1h', 3_600_000], ['1m30s', 90_000], ['1.5s', 1500], ['250us', 0.25], [750, 750]
  ] as const)('duration %s = %d ms', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms)
  })

  it.each(['', 'ten seconds', '5 parsecs', '-1s', 's'])('rejects duration %j', (text) => {
    expect(parseDurationMs(text)).toBeUndefined()
  })

  it.each([
    ['512KB', 512_000], ['5MB', 5_000_000], ['1GiB', 1024 ** 3], ['64MiB', 64 * 1024 ** 2], ['100', 100], ['2 gb', 2e9]
  ] as const)('size %s = %d bytes', (text, bytes) => {
    expect(parseSizeBytes(text)).toBe(bytes)
  })

  it('tolerances: relative percentages and percentage points', () => {
    expect(parseTolerance('+10%')).toEqual({ kind: 'relative', fraction: 0.1 })
    expect(parseTolerance('-5%')).toEqual({ kind: 'relative', fraction: -0.05 })
    expect(parseTolerance('+0.1pp')).toEqual({ kind: 'points', fraction: 0.001 })
    expect(parseTolerance(10)).toBeUndefined()
  })

  it('fractions and growth rates', () => {
    expect(parseFraction('0.5%')).toBe(0.005)
    expect(parseFraction(0.02)).toBe(0.02)
    expect(parseGrowthBytesPerSec('5MB/min')).toBeCloseTo(83_333.333, 3)
    expect(parseGrowthBytesPerSec('36MiB/h')).toBeCloseTo(10_485.76, 6)
  })
})
