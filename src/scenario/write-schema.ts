import { mkdirSync, writeFileSync } from 'node:fs'
import { z } from 'zod'
import { scenarioSchema } from './schema/scenario.js'

/** The JSON Schema of scenario files, generated from the same zod definitions that validate them. */
export function scenarioJsonSchema (): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>
  return { ...schema, title: 'cutover scenario' }
}

// run by `npm run build`: writes schema/scenario.schema.json into the package
if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  const out = new URL('../../schema/', import.meta.url)
  mkdirSync(out, { recursive: true })
  writeFileSync(new URL('scenario.schema.json', out), JSON.stringify(scenarioJsonSchema(), null, 2) + '\n')
}
