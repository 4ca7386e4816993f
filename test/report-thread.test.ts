// A live proxy's reports are drawn on a thread of their own (issue 18, items 2 and 7), one thread per refresh, ended
// when it has answered: a thread kept between refreshes held a heap that grew with the timeline it re-read, which the
// proxy's own leak check read as memory growing outside its heap.
import { readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ReportThread } from '../src/run/report-thread.js'

/** This process's threads, by id (/proc/self/task). */
const threadIds = (): Set<string> => new Set(readdirSync('/proc/self/task'))

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
})
