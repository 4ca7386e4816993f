// A live proxy's reports are drawn on a thread of their own (issue 18, items 2 and 7), one thread per refresh, ended
// when it has answered: a thread kept between refreshes held a heap that grew with the timeline it re-read, which the
// proxy's own leak check read as memory growing outside its heap.
import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ReportThread } from '../src/run/report-thread.js'

/** This process's threads, by id (/proc/self/task). */
const threadIds = (): Set<string> => new Set(readdirSync('/proc/self/task'))

/** A thread's niceness (proc(5): the 19th field of /proc/self/task/ID/stat, counted after the name in parentheses). */
function niceness (id: string): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${id}/stat`, 'utf8')
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])
  } catch {
    return undefined // the thread has ended
  }
}

describe('the report thread', () => {
  it('ends each refresh\'s thread once it has answered, and says what could not be written', async () => {
    const reports = new ReportThread()
    const before = threadIds()
    const failures = await reports.render('/nonexistent/cutover-run')
    expect(failures).toHaveLength(1)
    expect(failures[0]).toMatch(/nonexistent|ENOENT|run directory/i)
    // no thread started for the refresh is left (a kept thread would stay, with its id)
    const left = [...threadIds()].filter((id) => !before.has(id))
    expect(left).toEqual([])
    // and the next refresh starts a thread of its own again
    expect(await reports.render('/nonexistent/cutover-run')).toHaveLength(1)
    expect([...threadIds()].filter((id) => !before.has(id))).toEqual([])
    await reports.close()
    expect(await reports.render('/nonexistent/cutover-run')).toEqual(['the report thread was stopped'])
  }, 60_000)

  it('renders at the lowest priority on a thread of its own, and leaves the callers\' thread at its own', async () => {
    const reports = new ReportThread()
    const before = threadIds()
    const callers = niceness(String(process.pid))
    let done = false
    const rendering = reports.render('/nonexistent/cutover-run').finally(() => { done = true })
    const seen = new Set<number>()
    // the thread lowers itself before it loads the renderer, which takes a while: polled until the render answers
    while (!done) {
      for (const id of threadIds()) {
        const value = before.has(id) ? undefined : niceness(id)
        if (value !== undefined) seen.add(value)
      }
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
    expect(await rendering).toHaveLength(1)
    expect(seen).toContain(19)
    expect(niceness(String(process.pid))).toBe(callers)
    await reports.close()
  }, 60_000)
})
