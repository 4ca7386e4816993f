/** Names `cutover init` gives things: scenario and request names, data sources and columns, environment variables. */

/** A scenario name (letters, digits, dot, dash, underscore; a letter or digit first) made from free text. */
export function scenarioNameFrom (text: string, fallback = 'starter'): string {
  const slug = text.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/-{2,}/g, '-').replace(/^[-._]+|[-._]+$/g, '')
  return slug === '' ? fallback : slug.slice(0, 60).replace(/[-._]+$/, '')
}

/** A request name from a method and a path template: `GET /products/{id}` → `get-products-id`. */
export function requestNameFrom (method: string, pathTemplate: string): string {
  const words = pathTemplate.split('?')[0]?.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') ?? ''
  return `${method.toLowerCase()}-${words === '' ? 'root' : words}`.slice(0, 80)
}

/**
 * A name usable in a template (`{{ source.column }}`): letters, digits and underscores, not starting with a digit.
 * `env` is the template language's own word, so a data source never takes it.
 */
export function identifierFrom (text: string, fallback: string): string {
  let name = text.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '')
  if (name === '') name = fallback
  if (/^[0-9]/.test(name)) name = `_${name}`
  return name === 'env' ? 'env_values' : name
}

/** The environment variable a credential is read from: `CUTOVER_` and the header or parameter name in capitals. */
export function envNameFor (credentialName: string): string {
  const upper = credentialName.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '')
  return `CUTOVER_${upper === '' ? 'SECRET' : upper}`
}

/** `base`, or `base-2`, `base-3`… the first one not in `taken`; the name returned is added to `taken`. */
export function uniqueName (base: string, taken: Set<string>, separator = '-'): string {
  let name = base
  for (let n = 2; taken.has(name); n++) name = `${base}${separator}${n}`
  taken.add(name)
  return name
}
