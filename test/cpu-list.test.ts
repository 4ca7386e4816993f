import { describe, expect, it } from 'vitest'
import { formatCpuList, parseCpuList } from '../src/core/cpu-list.js'
import { coresLeft, cpuListProblem, pinnedShell } from '../src/targets/cpu-pinning.js'
import { coresTaken, sharedCoresNote } from '../src/run/generator-cores.js'
import { workerCount } from '../src/run/worker-count.js'
import { parseScenario } from '../src/scenario/load.js'

const scenario = (oldStart: string, newStart: string): ReturnType<typeof parseScenario> => parseScenario(`
name: cores
targets:
  old: { url: "http://127.0.0.1:3001"${oldStart} }
  new: { url: "http://127.0.0.1:3002"${newStart} }
requests: [{ name: hit, path: / }]
phases: [{ name: steady, duration: 1s, rate: 1 }]
workers: auto
`, '/tmp/cores.yaml')

describe('CPU lists', () => {
  it('reads and writes them as taskset and /proc do', () => {
    expect(parseCpuList('1')).toEqual([1])
    expect(parseCpuList('0,2-3')).toEqual([0, 2, 3])
    expect(parseCpuList('3,1-2,2')).toEqual([1, 2, 3])
    expect(formatCpuList([3, 0, 2, 7, 8, 9])).toBe('0,2-3,7-9')
    expect(formatCpuList([1])).toBe('1')
    expect(() => parseCpuList('2-1')).toThrow('the range 2-1 runs backwards')
    expect(() => parseCpuList('1,')).toThrow('not a CPU list')
  })

  it('names the cores a list asks for that the machine lacks, and what is left for the generator', () => {
    expect(cpuListProblem('1', [0, 1])).toBeUndefined()
    expect(cpuListProblem('1-3', [0, 1])).toBe('this machine has no core 2, 3 (its cores are 0-1)')
    expect(coresLeft([1], [0, 1, 2, 3])).toEqual([0, 2, 3])
    expect(coresLeft([0, 1], [0, 1])).toEqual([])
    expect(pinnedShell('2-3', 'node server.js')).toEqual(['taskset', ['-c', '2-3', '/bin/sh', '-c', 'node server.js']])
  })
})

describe('the generator and the services on one machine', () => {
  const started = ', start: { command: "node s.js" }'
  it('workers: auto leaves the pinned cores and one core per other started service', () => {
    const pinned = scenario(', start: { command: "node s.js", cpus: "2-3" }', started)
    expect(coresTaken(pinned, ['old', 'new'])).toEqual([2, 3])
    expect(workerCount(undefined, pinned, ['old', 'new'], 8)).toBe(5)
    expect(workerCount(undefined, scenario(started, started), ['old', 'new'], 8)).toBe(6)
    expect(workerCount(undefined, scenario('', ''), ['old', 'new'], 8)).toBe(8)
    expect(workerCount(undefined, pinned, ['old', 'new'], 2)).toBe(1)
  })

  it('capacity notes services that share a small machine\'s cores with the generator', () => {
    expect(sharedCoresNote(scenario(started, started), ['old', 'new'], 2)).toMatch(/^old and new share this machine's 2 cores with the load generator: .*start\.cpus/)
    expect(sharedCoresNote(scenario(', start: { command: "node s.js", cpus: "1" }', started), ['old', 'new'], 4)).toMatch(/^new shares this machine's 4 cores/)
    expect(sharedCoresNote(scenario(started, started), ['old', 'new'], 16)).toBeUndefined()
    expect(sharedCoresNote(scenario('', ''), ['old', 'new'], 2)).toBeUndefined()
  })
})
