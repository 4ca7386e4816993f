import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { redactScenarioText } from '../core/redact.js'

/** The file name of the scenario's copy in a run directory. */
export const scenarioCopyFileName = 'scenario.yaml'

/**
 * Keeps the scenario with the run, secrets redacted, for the report and for reading the run later; returns the copy.
 * A scenario that did not come from YAML or JSON (code, an object) is kept as the JSON cutover validated (`scenarioText`).
 */
export function writeScenarioCopy (scenarioFile: string, runDir: string, scenarioText?: string): string | undefined {
  try {
    const text = redactScenarioText(scenarioText ?? readFileSync(scenarioFile, 'utf8'))
    writeFileSync(join(runDir, scenarioCopyFileName), text)
    return text
  } catch {
    // the scenario was parsed from text in memory (tests): nothing to copy
    return undefined
  }
}
