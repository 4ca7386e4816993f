/**
 * One live refresh of a proxy's reports (report-refresh.ts runs it, in a process of its own). It reads the run
 * directory and renders it without the PNG charts: report.html draws its own charts and summary.md has Mermaid ones,
 * and drawing PNGs every refresh cost the proxy about 80 MB of memory (bench:proxy, 2 minutes in mirror mode: peak
 * RSS 360 MB with them, 281 MB without, 248 MB with no refresh). The final reports, written when the proxy stops,
 * have them.
 *
 * It starts from where the last refresh stopped reading the timeline (the checkpoint file: the bytes read and the
 * points drawn so far, at most {@link livePointsPerTarget} per target), reads only what the timeline gained since,
 * and writes the next checkpoint. So neither a refresh's work nor what is kept between refreshes grows with the run
 * (a proxy runs for days).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { renderReports } from '../report/write-reports.js'
import { reporters } from '../report/reporters.js'
import { writeTextAtomic } from '../rundir/atomic-write.js'
import { CoarseTimeline, type CoarseState } from '../rundir/coarse-timeline.js'
import { readRunDir } from '../rundir/read-run-dir.js'
import { TimelineTail, timelineFileName, type TailState } from '../rundir/timeline-file.js'
import { thrownMessage } from '../core/thrown-message.js'

/** Points per target a live report draws: about one per pixel of its charts. */
const livePointsPerTarget = 300

/** The reporters of a live refresh: every one but the PNG charts. */
const liveReporters = reporters.filter((reporter) => reporter.name !== 'png')

/** What a checkpoint file holds. */
interface Checkpoint {
  version: 1
  runDir: string
  tail: TailState
  coarse: CoarseState
}

/** The checkpoint the last refresh of `runDir` left; undefined (start from the beginning) when there is none or it does not fit. */
function readCheckpoint (path: string, runDir: string): Checkpoint | undefined {
  let checkpoint: Partial<Checkpoint>
  try {
    checkpoint = JSON.parse(readFileSync(path, 'utf8')) as Partial<Checkpoint>
  } catch {
    return undefined // the first refresh
  }
  // the offset and the points go together: one without the other would lose intervals or count them twice
  const fits = checkpoint.version === 1 && checkpoint.runDir === runDir && Number.isInteger(checkpoint.tail?.offset) &&
    Number.isInteger(checkpoint.tail?.skipped) && checkpoint.coarse?.maxPerTarget === livePointsPerTarget && Array.isArray(checkpoint.coarse.targets)
  return fits ? checkpoint as Checkpoint : undefined
}

async function refresh (runDir: string, checkpointFile: string): Promise<string[]> {
  const from = readCheckpoint(checkpointFile, runDir)
  const tail = new TimelineTail(join(runDir, timelineFileName), from?.tail)
  const coarse = new CoarseTimeline(livePointsPerTarget, from?.coarse)
  tail.read((line) => { coarse.add(line) })
  const contents = { ...readRunDir(runDir, { timeline: false }), timeline: coarse.lines(), skippedTimelineLines: tail.skipped }
  writeTextAtomic(checkpointFile, JSON.stringify({ version: 1, runDir, tail: tail.state, coarse: coarse.state } satisfies Checkpoint))
  const { failures } = await renderReports(contents, liveReporters)
  return failures.map((failure) => `${failure.writes}: ${failure.message}`)
}

/** Refreshes the reports of `runDir`; what could not be written (an error reading the run directory among them). */
export async function refreshReports (runDir: string | undefined, checkpointFile: string | undefined): Promise<string[]> {
  try {
    if (runDir === undefined || checkpointFile === undefined) throw new Error('usage: report-refresh <run dir> <checkpoint file>')
    return await refresh(runDir, checkpointFile)
  } catch (error) {
    return [thrownMessage(error)]
  }
}
