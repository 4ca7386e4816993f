import { describe, expect, it } from 'vitest'
import { CpuCounter, cpuPercent } from '../src/sampling/cpu-percent.js'
import { summarizeResources } from '../src/sampling/resource-summary.js'

describe('resource summary (numbers by hand)', () => {
  it('peaks and means', () => {
    expect(summarizeResources([
      { rssBytes: 100, cpuPercent: 10 },
      { rssBytes: 300, cpuPercent: 50, heapBytes: 40 },
      { rssBytes: 200, cpuPercent: 30, heapBytes: 60 }
    ])).toEqual({ samples: 3, rssPeakBytes: 300, rssMeanBytes: 200, cpuMeanPercent: 30, heapPeakBytes: 60 })
  })

  it('leaves out heapPeakBytes when no sample has a heap, and is undefined without samples', () => {
    expect(summarizeResources([{ rssBytes: 7, cpuPercent: 0 }])).toEqual({ samples: 1, rssPeakBytes: 7, rssMeanBytes: 7, cpuMeanPercent: 0 })
    expect(summarizeResources([])).toBeUndefined()
  })
})

describe('CPU percent', () => {
  it('is CPU seconds per wall second × 100, and 0 when no time passed', () => {
    expect(cpuPercent(0.5, 1000)).toBe(50)
    expect(cpuPercent(3, 1500)).toBe(200)
    expect(cpuPercent(1, 0)).toBe(0)
    expect(cpuPercent(-1, 1000)).toBe(0)
  })

  it('follows a counter through a reset', () => {
    const counter = new CpuCounter(10, 0)
    expect(counter.next(10.25, 500)).toBe(50)
    expect(counter.next(0.5, 1500)).toBe(50)
    expect(counter.next(0.5, 2500)).toBe(0)
  })
})
