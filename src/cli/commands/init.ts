import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { basename, dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Command } from 'commander'
import { CutoverError } from '../../core/errors.js'
import { csvText } from '../../scenario/init/csv-text.js'
import { starterFromHar } from '../../scenario/init/from-har.js'
import { starterFromOpenApi } from '../../scenario/init/from-openapi.js'
import { readHar } from '../../scenario/init/read-har.js'
import { readOpenApi } from '../../scenario/init/read-openapi.js'
import { plainStarter, starterPhases, withSendableRequest } from '../../scenario/init/starter.js'
import type { StarterScenario } from '../../scenario/init/starter-model.js'
import { placeholderUrls, scenarioYaml } from '../../scenario/init/write-scenario-yaml.js'
import { openScenario } from '../../scenario/open-scenario.js'
import { shownPath } from '../../core/shown-path.js'

/** What `cutover init` takes. */
export interface InitOptions {
  openapi?: string
  har?: string
  old?: string
  new?: string
  out: string
  dataDir?: string
  force?: boolean
  readOnly?: boolean
}

/** The JSON Schema this cutover ships (`schema/scenario.schema.json` of the package), for the editor comment. */
const schemaFile = fileURLToPath(new URL('../../../schema/scenario.schema.json', import.meta.url))

const posix = (path: string): string => path.split(sep).join('/')

function targetUrl (flag: string, value: string | undefined): string | undefined {
  if (value === undefined || value.includes('{{')) return value
  let url: URL | undefined
  try { url = new URL(value) } catch { url = undefined }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new CutoverError('USAGE', `${flag} expects a base URL such as http://127.0.0.1:3001, got "${value}"`)
  }
  return value
}

async function starterFor (options: InitOptions): Promise<StarterScenario> {
  if (options.openapi !== undefined) return starterFromOpenApi(await readOpenApi(options.openapi), basename(options.openapi))
  if (options.har !== undefined) return starterFromHar(readHar(options.har), basename(options.har))
  return plainStarter()
}

function write (path: string, text: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, text)
  } catch (error) {
    throw new CutoverError('USAGE', `cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`, { hint: 'choose another place with -o (and --data-dir)', cause: error })
  }
}

/** Writes a starter scenario (and its data files), checks it as `cutover validate` does, and says what it wrote. */
export async function initCommand (options: InitOptions, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  if (options.openapi !== undefined && options.har !== undefined) {
    throw new CutoverError('USAGE', '--openapi and --har cannot be used together', { hint: 'write one starter from each, with -o naming two files' })
  }
  const oldUrl = targetUrl('--old', options.old)
  const newUrl = targetUrl('--new', options.new)
  const scenarioPath = resolve(options.out)
  if (!/\.ya?ml$/i.test(scenarioPath)) throw new CutoverError('USAGE', `-o ${options.out}: cutover init writes YAML; name the file .yaml or .yml`)
  if (existsSync(scenarioPath) && statSync(scenarioPath).isDirectory()) throw new CutoverError('USAGE', `-o ${options.out} is a folder; name the scenario file to write`)
  const starter = withSendableRequest(await starterFor(options), options.readOnly === true)
  const folder = dirname(scenarioPath)
  const dataDir = resolve(options.dataDir ?? folder)
  const stem = basename(scenarioPath).replace(/\.ya?ml$/i, '')
  const dataFiles = starter.data.map((file) => ({ file, path: join(dataDir, `${stem}-${file.source}.csv`) }))
  const existing = [scenarioPath, ...dataFiles.map((data) => data.path)].filter((path) => existsSync(path))
  if (existing.length > 0 && options.force !== true) {
    throw new CutoverError('USAGE', `${existing.map(shownPath).join(', ')} already exist${existing.length === 1 ? 's' : ''}; cutover init does not overwrite`, {
      hint: 'pass --force to overwrite, or -o to write another file'
    })
  }
  const pathOf = new Map(dataFiles.map((data) => [data.file.source, posix(relative(folder, data.path))]))
  const text = scenarioYaml(starter, {
    schemaPath: posix(relative(folder, schemaFile)),
    oldUrl,
    newUrl,
    dataFilePath: (source) => pathOf.get(source) ?? `${stem}-${source}.csv`,
    readOnly: options.readOnly === true
  })
  for (const data of dataFiles) write(data.path, csvText(data.file.columns, data.file.rows))
  write(scenarioPath, text)
  const loaded = await openScenario(scenarioPath, { env: process.env })
  const readOnly = options.readOnly === true
  const sent = readOnly ? starter.requests.length : starter.requests.length + starter.mutating.length
  const mutating = starter.mutating.length === 0 ? '' : readOnly ? `, ${starter.mutating.length} that change data written commented out` : `, ${starter.mutating.length} of them changing data`
  out.write(`wrote ${shownPath(scenarioPath)}: ${sent} request(s) in the load mix (${starter.shadow.length} marked for the shadow run)${mutating}; phases ${starterPhases.map((phase) => phase.name).join(', ')}\n`)
  for (const data of dataFiles) out.write(`wrote ${shownPath(data.path)}: data source ${data.file.source} (${data.file.columns.join(', ')}), ${data.file.rows.length} row(s)\n`)
  if (starter.envNames.length > 0) out.write(`set before a run: ${starter.envNames.join(', ')} (credentials are read with env(), never written to the file)\n`)
  const placeholders = [...(oldUrl === undefined ? [`old ${placeholderUrls.old} (--old)`] : []), ...(newUrl === undefined ? [`new ${placeholderUrls.new} (--new)`] : [])]
  if (placeholders.length > 0) out.write(`change the placeholder target URL(s) in ${shownPath(scenarioPath)}: ${placeholders.join(', ')}\n`)
  out.write(`ok: cutover validate ${shownPath(loaded.file)} passes\n`)
  return 0
}

/** Registers `cutover init`. */
export function registerInit (program: Command, setExit: (code: number) => void): void {
  program.command('init')
    .description('write a commented starter scenario: for two URLs, from an OpenAPI document, or from a HAR recording')
    .option('--openapi <file>', 'an OpenAPI 3.0 or 3.1 document (YAML or JSON): one request per operation')
    .option('--har <file>', 'a HAR recording: one request per method and path, weighted by how often it occurs')
    .option('--old <url>', 'the old service\'s base URL (default: a placeholder to change)')
    .option('--new <url>', 'the new service\'s base URL (default: a placeholder to change)')
    .option('-o, --out <file>', 'the scenario file to write', 'cutover.yaml')
    .option('--data-dir <dir>', 'where data files (CSV) are written (default: beside the scenario)')
    .option('--force', 'overwrite the scenario and data files if they exist')
    .option('--read-only', 'write the requests that change data (POST, PUT, PATCH, DELETE) commented out, so the scenario sends only GET, HEAD and OPTIONS')
    .action(async (options: InitOptions) => { setExit(await initCommand(options)) })
}
