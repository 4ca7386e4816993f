/** `proxy.allowMutating`: "METHOD /path" routes whose mutating requests may be mirrored; a trailing `*` matches any rest. */

/** A test of (method, path) against the routes; the query string is not part of the match. */
export function mutatingRoutes (routes: readonly string[]): (method: string, path: string) => boolean {
  const parsed = routes.map((route) => {
    const [method = '', pattern = ''] = route.split(' ')
    const prefix = pattern.endsWith('*') ? pattern.slice(0, -1) : undefined
    return { method: method.toUpperCase(), pattern, prefix }
  })
  return (method, path) => {
    const pathname = path.split('?')[0] ?? path
    const upper = method.toUpperCase()
    return parsed.some((route) => route.method === upper && (route.prefix === undefined ? pathname === route.pattern : pathname.startsWith(route.prefix)))
  }
}
