import { z } from 'zod'
import {
  parseDurationMs, parseFraction, parseGrowthBytesPerSec, parseRatePerSec, parseSizeBytes, parseTolerance, type Tolerance
} from './units.js'

/** Longest unit text read; the unit parsers' regular expressions slow down quadratically (or worse) on long runs of spaces. */
const maxUnitLength = 100

/** A zod schema that reads a unit string with `parse` and reports `what` it expected. */
function unitSchema<T> (parse: (value: string | number) => T | undefined, expected: string, description: string) {
  return z.union([z.string(), z.number()]).transform((value, ctx): T => {
    const tooLong = typeof value === 'string' && value.length > maxUnitLength
    const parsed = tooLong ? undefined : parse(value)
    if (parsed === undefined) {
      const shown = tooLong ? `${value.slice(0, 40)}... (${value.length} characters)` : value
      ctx.addIssue({ code: 'custom', message: `expected ${expected}, got ${JSON.stringify(shown)}` })
      return z.NEVER
    }
    return parsed
  }).describe(description)
}

/** `500ms`, `30s`, `2m`, `1h`, or a number of milliseconds; becomes milliseconds. */
export const duration = unitSchema(parseDurationMs, 'a duration such as 500ms, 30s, 2m or 1h', 'A duration: 500ms, 30s, 2m, 1h, or a number of milliseconds')

/** `512KB`, `5MB`, `1GiB` or a number of bytes; becomes bytes. */
export const size = unitSchema(parseSizeBytes, 'a size such as 512KB, 5MB or 1GiB', 'A size: 512KB, 5MB (decimal), 1GiB (binary), or a number of bytes')

/** `0.5%` or a fraction such as 0.005. */
export const fraction = unitSchema(parseFraction, 'a percentage such as 0.5% or a fraction such as 0.005', 'A rate: 0.5%, or a fraction between 0 and 1')

/** `+10%`, `-5%` or `+0.1pp`. */
export const tolerance = unitSchema<Tolerance>(parseTolerance, 'a tolerance such as +10%, -5% or +0.1pp', 'A tolerance of new against old: +10%, -5% (relative) or +0.1pp (percentage points)')

/** `5MB/min`, `10MiB/h`; becomes bytes per second. */
export const growth = unitSchema((value) => typeof value === 'string' ? parseGrowthBytesPerSec(value) : undefined,
  'a growth rate such as 5MB/min', 'A memory growth rate: 5MB/min, 100MiB/h')

/** `300`, `300/s`; requests per second. */
export const ratePerSec = unitSchema(parseRatePerSec, 'a rate in requests per second such as 300 or 300/s', 'Requests per second')

/** A whole number of at least `min`. */
export const count = (min: number) => z.number().int().min(min)
