/** Assembles the report model from a run's redacted data and its charts, sections in reading order. */
import type { ReportModel, Section } from './report-model.js'
import { baselineSection } from './sections/baseline.js'
import { capacitySection } from './sections/capacity.js'
import { chartsSection } from './sections/charts.js'
import { checksSection } from './sections/checks.js'
import { comparisonSection } from './sections/comparison.js'
import type { ReportContext } from './sections/context.js'
import { filesSection } from './sections/files.js'
import { headlineOf, metaOf, notesOf, verdictTextOf } from './sections/header.js'
import { journeysSection } from './sections/journeys.js'
import { leakSection } from './sections/leak.js'
import { scenarioSection } from './sections/scenario.js'
import { shadowSection } from './sections/shadow.js'
import { targetsSection } from './sections/targets.js'

/** The report: verdict and checks first, then targets, comparison, charts, leaks, capacity, baseline, shadow, files, scenario. */
export function buildReportModel (context: ReportContext): ReportModel {
  const result = context.result
  const verdict = result.verdict === 'fail' || result.verdict === 'pass' ? result.verdict : 'inconclusive'
  const sections: Array<Section | undefined> = [
    checksSection(context),
    targetsSection(context),
    comparisonSection(context),
    journeysSection(context),
    chartsSection(context),
    leakSection(context),
    capacitySection(context),
    baselineSection(context),
    shadowSection(context),
    filesSection(context),
    scenarioSection(context)
  ]
  return {
    title: result.scenario?.name ?? 'cutover run',
    ...(result.scenario?.description === undefined ? {} : { subtitle: result.scenario.description }),
    verdict,
    verdictText: verdictTextOf(verdict),
    headline: headlineOf(result),
    notes: notesOf(result, context.skippedTimelineLines),
    meta: metaOf(result),
    targets: context.targetNames.map((name) => ({ name, color: context.colors[name] ?? '#6e7781' })),
    sections: sections.filter((section): section is Section => section !== undefined),
    generatedBy: `cutover ${result.tool?.version ?? ''}`.trim()
  }
}
