/**
 * What `cutover init` builds before it is written: a starter scenario in the user's terms (requests that will be
 * sent, the ones that change data, data columns, the environment variables the user must set). The builders
 * (plain, OpenAPI, HAR) produce it; write-scenario-yaml.ts turns it into a commented YAML file.
 */

/** The HTTP methods a scenario request may use. */
export type StarterMethod = 'GET' | 'HEAD' | 'OPTIONS' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** Methods a scenario accepts, in the order the OpenAPI path item lists them. */
export const starterMethods: readonly StarterMethod[] = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH']

/** One request of a starter scenario, as it will be written. */
export interface StarterRequest {
  name: string
  method: StarterMethod
  /** Path and query, with templates. */
  path: string
  weight: number
  headers?: Record<string, string>
  /** A JSON body; strings may hold templates. */
  json?: unknown
  /** A raw body (form or text). */
  body?: string
  /** One line written above the request: where it came from. */
  comment?: string
}

/** A CSV data file written beside the scenario: the values templates read as `{{ <source>.<column> }}`. */
export interface StarterDataFile {
  /** The data source's name under `data:`. */
  source: string
  columns: string[]
  /** Rows of values, one per column. */
  rows: string[][]
  /** Why the file exists and what to put in it. */
  comment: string
}

/** A starter scenario before it is written. */
export interface StarterScenario {
  name: string
  description: string
  /** Comment lines at the top of the file: where the scenario came from, what was left out and why. */
  notes: string[]
  /** Read-only requests (GET, HEAD, OPTIONS): in the load mix and the shadow run. */
  requests: StarterRequest[]
  /** Requests that change data: in the load mix, never the shadow run; with `--read-only`, written commented out. */
  mutating: StarterRequest[]
  /** Names of the requests marked for `cutover shadow`. */
  shadow: string[]
  data: StarterDataFile[]
  /** Environment variables the scenario reads for credentials (named by `env()` templates, never written). */
  envNames: string[]
  /** A line written above the targets: where the traffic was described for or recorded from. */
  targetsNote?: string
}

/** True for GET, HEAD and OPTIONS: the requests `cutover shadow` may send without `allowMutating`. */
export function isReadOnlyMethod (method: string): boolean {
  const upper = method.toUpperCase()
  return upper === 'GET' || upper === 'HEAD' || upper === 'OPTIONS'
}

/** The method in upper case when a scenario accepts it; undefined for TRACE, CONNECT and the like. */
export function scenarioMethod (method: string): StarterMethod | undefined {
  const upper = method.toUpperCase()
  return starterMethods.find((known) => known === upper)
}

/** Requests ordered as the file lists them: read-only first (the mix), heaviest first, then as found. */
export function splitByMutation (requests: readonly StarterRequest[]): { readOnly: StarterRequest[], mutating: StarterRequest[] } {
  const readOnly = requests.filter((request) => isReadOnlyMethod(request.method))
  const mutating = requests.filter((request) => !isReadOnlyMethod(request.method))
  return { readOnly, mutating }
}
