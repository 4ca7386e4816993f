import type { HarEntry } from './read-har.js'

/** A HAR entry that `cutover init` keeps: an HTTP(S) call to the service, its URL parsed. */
export type ApiEntry = HarEntry & { url: URL }

/** What is left of a recording once assets and other hosts are dropped, and what was dropped. */
export interface ApiTraffic {
  entries: ApiEntry[]
  /** The origin most entries went to (`http://host:port`); undefined when nothing was left. */
  origin: string | undefined
  /** Images, styles, scripts, fonts and media. */
  assets: number
  /** Entries to other origins, most frequent first. */
  otherOrigins: Array<{ origin: string, count: number }>
  /** data:, blob:, ws: and unparsable URLs. */
  notHttp: number
  /** CORS preflights: OPTIONS calls the browser made by itself before a cross-origin call. */
  preflights: number
}

const assetTypes = new Set(['image', 'stylesheet', 'script', 'font', 'media', 'manifest', 'texttrack', 'imageset'])
const assetExtensions = /\.(?:png|jpe?g|gif|webp|avif|svg|ico|bmp|css|js|mjs|map|woff2?|ttf|otf|eot|mp4|webm|mp3|ogg|wav)$/i
const assetMimeTypes = /^(?:image|font|audio|video)\/|^text\/css\b|^(?:text|application)\/(?:x-)?javascript\b/i

/** True for an image, stylesheet, script, font or media file: by Chromium's resource type, the path, or the answer's type. */
export function isStaticAsset (entry: HarEntry): boolean {
  if (entry.resourceType !== undefined && assetTypes.has(entry.resourceType.toLowerCase())) return true
  if (entry.url !== undefined && assetExtensions.test(entry.url.pathname)) return true
  return entry.responseMimeType !== undefined && assetMimeTypes.test(entry.responseMimeType)
}

/** Keeps the HTTP(S) calls to the most frequent origin that are neither static assets nor CORS preflights (ties: the first origin recorded). */
export function selectApiTraffic (entries: readonly HarEntry[]): ApiTraffic {
  let notHttp = 0
  let assets = 0
  let preflights = 0
  const candidates: ApiEntry[] = []
  for (const entry of entries) {
    const url = entry.url
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) { notHttp++; continue }
    if (isStaticAsset(entry)) { assets++; continue }
    if (entry.resourceType?.toLowerCase() === 'preflight') { preflights++; continue }
    candidates.push({ ...entry, url })
  }
  const counts = new Map<string, number>()
  for (const entry of candidates) counts.set(entry.url.origin, (counts.get(entry.url.origin) ?? 0) + 1)
  let origin: string | undefined
  for (const [candidate, count] of counts) if (origin === undefined || count > (counts.get(origin) ?? 0)) origin = candidate
  const otherOrigins = [...counts].filter(([candidate]) => candidate !== origin)
    .map(([candidate, count]) => ({ origin: candidate, count }))
    .sort((a, b) => b.count - a.count)
  return { entries: candidates.filter((entry) => entry.url.origin === origin), origin, assets, otherOrigins, notHttp, preflights }
}
