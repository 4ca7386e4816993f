/** Links to what lies next to the report: service logs and profiler output. */
import type { Section } from '../report-model.js'
import { runDirHref, type ReportContext } from './context.js'

const profileTools: Record<string, string> = { doctor: 'Clinic Doctor', heapprofiler: 'Clinic HeapProfiler', flame: 'Clinic Flame' }

/** The files section, or undefined when there is nothing to link. */
export function filesSection (context: ReportContext): Section | undefined {
  const links: Array<{ label: string, href: string, note?: string }> = []
  for (const [name, target] of Object.entries(context.result.targets ?? {})) {
    const profile = target.profile
    if (profile === undefined) continue
    // a path outside the run directory is shown, not linked
    const href = runDirHref(profile.path) ?? ''
    links.push({ label: `${name}: ${profileTools[profile.tool] ?? profile.tool}`, href, note: profile.path })
  }
  for (const file of context.logFiles) {
    const href = runDirHref(file)
    if (href !== undefined) links.push({ label: file, href, note: 'service output' })
  }
  if (context.result.history !== undefined) links.push({ label: context.result.history.file, href: context.result.history.file, note: `the trend of the last ${context.result.history.runs} runs` })
  for (const file of ['result.json', 'timeline.ndjson', 'summary.md', 'junit.xml']) links.push({ label: file, href: file })
  return { id: 'files', title: 'Files', blocks: [{ kind: 'links', links }] }
}
