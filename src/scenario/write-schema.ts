import { mkdirSync, writeFileSync } from 'node:fs'
import { z } from 'zod'
import { toolVersion } from '../core/version.js'
import { addLoaderChecks } from './json-schema-checks.js'
import { strictJsonSchema } from './json-schema-strict.js'
import { unitDefinitions } from './json-schema-units.js'
import { scenarioSchema } from './schema/scenario.js'

/** Where the published package serves this file; it names the schema of this version of cutover. */
export const scenarioSchemaId = `https://unpkg.com/cutover@${toolVersion}/schema/scenario.schema.json`

/**
 * The JSON Schema of scenario files (draft 2020-12), generated from the same zod definitions that validate them, with
 * the loader's structural checks added and valid under ajv's strict mode.
 */
export function scenarioJsonSchema (): Record<string, unknown> {
  const generated = z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12', override: addLoaderChecks })
  const { $schema, ...schema } = strictJsonSchema({ ...generated, $defs: unitDefinitions })
  return { $schema, $id: scenarioSchemaId, title: 'cutover scenario', ...schema }
}

// run by `npm run build`: writes schema/scenario.schema.json into the package
if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  const out = new URL('../../schema/', import.meta.url)
  mkdirSync(out, { recursive: true })
  writeFileSync(new URL('scenario.schema.json', out), JSON.stringify(scenarioJsonSchema(), null, 2) + '\n')
}
