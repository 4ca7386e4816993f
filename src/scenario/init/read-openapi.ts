import { basename } from 'node:path'
import SwaggerParser from '@apidevtools/swagger-parser'
import { CutoverError } from '../../core/errors.js'
import { checkSourceFile } from './source-file.js'
import { isJsonObject, type JsonObject } from './openapi-values.js'

/** Largest OpenAPI document read. */
export const maxOpenApiBytes = 50 * 1024 * 1024

/** The first lines of a parser's message: enough to find the problem, not a screenful of schema paths. */
function shortReason (error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const lines = message.split('\n').map((line) => line.trimEnd()).filter((line) => line.trim() !== '')
  return lines.slice(0, 6).join('\n  ') + (lines.length > 6 ? `\n  … (${lines.length - 6} more lines)` : '')
}

/**
 * Reads, validates and dereferences an OpenAPI 3.0 or 3.1 document (YAML or JSON) with swagger-parser: every `$ref`
 * resolved except circular ones, which openapi-sampler resolves against the document. Swagger 2.0 is refused.
 */
export async function readOpenApi (file: string): Promise<JsonObject> {
  const name = basename(file)
  checkSourceFile('--openapi', file, maxOpenApiBytes, 'an OpenAPI 3.0 or 3.1 document (YAML or JSON)')
  let document: unknown
  try {
    document = await SwaggerParser.validate(file, { dereference: { circular: 'ignore' }, resolve: { http: { timeout: 10_000 } } })
  } catch (error) {
    throw new CutoverError('INIT_SOURCE', `${name} is not a valid OpenAPI document:\n  ${shortReason(error)}`, {
      hint: `fix ${file} (an editor with OpenAPI support shows where), or check it with any OpenAPI validator`,
      cause: error
    })
  }
  if (!isJsonObject(document) || typeof document.openapi !== 'string' || !/^3\.[01]\./.test(document.openapi)) {
    const version = !isJsonObject(document) ? 'of no known version' : document.swagger !== undefined ? `Swagger ${String(document.swagger)}` : `OpenAPI ${String(document.openapi)}`
    throw new CutoverError('INIT_SOURCE', `${name} is ${version}; cutover init reads OpenAPI 3.0 and 3.1`, {
      hint: 'convert a Swagger 2.0 document first (for example with swagger2openapi)'
    })
  }
  return document
}
