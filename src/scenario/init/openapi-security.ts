import { envNameFor } from './naming.js'
import { isJsonObject, type JsonObject } from './openapi-values.js'
import { envTemplate } from './template-text.js'

/** What an operation's security requirement adds to its request: credentials read from the environment. */
export interface Credentials {
  headers: Record<string, string>
  /** `name=template` query pairs. */
  query: string[]
  /** `name=template` cookie pairs. */
  cookies: string[]
  envNames: string[]
}

/** The variable that holds a whole Authorization header value, such as `Bearer <token>`. */
export const authorizationEnv = envNameFor('authorization')

/**
 * The credentials of an operation's first security requirement (its own, else the document's): API keys in a header,
 * query or cookie, and HTTP, OAuth 2 and OpenID Connect schemes as an Authorization header, each an `env()` template.
 * An empty requirement (`{}`) means the operation may be called without credentials, and adds none.
 */
export function credentialsFor (operation: JsonObject, document: JsonObject): Credentials {
  const credentials: Credentials = { headers: {}, query: [], cookies: [], envNames: [] }
  const requirements = Array.isArray(operation.security) ? operation.security : Array.isArray(document.security) ? document.security : []
  const first: unknown = requirements[0]
  if (!isJsonObject(first)) return credentials
  const schemes = isJsonObject(document.components) && isJsonObject(document.components.securitySchemes) ? document.components.securitySchemes : {}
  for (const schemeName of Object.keys(first)) {
    const scheme = schemes[schemeName]
    if (!isJsonObject(scheme)) continue
    if (scheme.type === 'apiKey' && typeof scheme.name === 'string') {
      const envName = envNameFor(scheme.name)
      const template = envTemplate(envName)
      if (scheme.in === 'header') credentials.headers[scheme.name.toLowerCase()] = template
      else if (scheme.in === 'query') credentials.query.push(`${encodeURIComponent(scheme.name)}=${template}`)
      else if (scheme.in === 'cookie') credentials.cookies.push(`${scheme.name}=${template}`)
      else continue
      credentials.envNames.push(envName)
    } else if (scheme.type === 'http' || scheme.type === 'oauth2' || scheme.type === 'openIdConnect') {
      credentials.headers.authorization = envTemplate(authorizationEnv)
      credentials.envNames.push(authorizationEnv)
    }
  }
  credentials.envNames = [...new Set(credentials.envNames)]
  return credentials
}
