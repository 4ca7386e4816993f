/** The scenario as it ran (redacted) and the machine it ran on. */
import { formatBytes } from '../format.js'
import type { Block, Section } from '../report-model.js'
import type { ReportContext } from './context.js'

/** The scenario and environment section. */
export function scenarioSection (context: ReportContext): Section {
  const result = context.result
  const env = result.environment
  const blocks: Block[] = [{
    kind: 'facts',
    title: 'Run',
    items: [
      { label: 'scenario', value: result.scenario?.name ?? '' },
      { label: 'file', value: result.scenario?.file ?? '' },
      { label: 'command', value: `cutover ${result.command}` },
      { label: 'schedule', value: result.settings?.sliceMs === undefined ? result.schedule : `${result.schedule}, ${result.settings.sliceMs / 1000} s slices` },
      { label: 'sampling interval', value: `${(result.settings?.intervalMs ?? 0) / 1000} s` },
      { label: 'seed', value: String(result.settings?.seed ?? '') }
    ]
  }]
  if (context.scenarioText !== undefined) blocks.push({ kind: 'pre', title: 'Scenario (credentials redacted)', text: context.scenarioText })
  if (env !== undefined) {
    blocks.push({
      kind: 'facts',
      title: 'Environment',
      items: [
        { label: 'cutover', value: env.cutover },
        { label: 'Node.js', value: env.node },
        { label: 'system', value: `${env.platform} ${env.release} (${env.arch})` },
        { label: 'CPU', value: `${env.cpuModel}, ${env.cores} cores` },
        { label: 'memory', value: formatBytes(env.memoryBytes) },
        { label: 'CI', value: env.ci ? 'yes' : 'no' }
      ]
    })
  }
  return { id: 'scenario', title: 'Scenario and environment', blocks }
}
