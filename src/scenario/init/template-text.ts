/** The `{{ ... }}` templates `cutover init` writes, in the syntax of templates.ts, and literal text kept literal. */

/** `{{ env("NAME") }}`: a credential read from the environment when the scenario runs, never written to the file. */
export function envTemplate (name: string): string {
  return `{{ env("${name}") }}`
}

/** `{{ source.column }}`: one column of a data file's current row. */
export function dataTemplate (source: string, column: string): string {
  return `{{ ${source}.${column} }}`
}

/** A string literal of the template language: backslash and double quote escaped. */
function quoted (value: string): string {
  return `"${value.replace(/[\\"]/g, (character) => `\\${character}`)}"`
}

/** `{{ pick("a", "b") }}` over the values, or undefined when one of them could not sit inside a template. */
export function pickTemplate (values: readonly string[]): string | undefined {
  if (values.length === 0 || values.some((value) => value.includes('{{') || value.includes('}}'))) return undefined
  return `{{ pick(${values.map(quoted).join(', ')}) }}`
}

/**
 * Text written where templates are expanded, meaning exactly itself: every `{{` becomes `{{ "{{" }}`, which renders
 * as `{{` (a value taken from an API description or a recording must not turn into a template by accident).
 */
export function literalText (text: string): string {
  return text.includes('{{') ? text.split('{{').join('{{ "{{" }}') : text
}

/** A JSON value with every string passed through {@link literalText}, and without `__proto__` keys (scenarios refuse them). */
export function literalJson (value: unknown): unknown {
  if (typeof value === 'string') return literalText(value)
  if (Array.isArray(value)) return value.map(literalJson)
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([key]) => key !== '__proto__')
    return Object.fromEntries(entries.map(([key, item]) => [key, literalJson(item)]))
  }
  return value
}
