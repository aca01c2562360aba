import { matchRoutes, type RouteObject } from 'react-router'

interface ManifestRoute {
  id: string
  parentId?: string
  path?: string
  index?: boolean
}

// Metrics are labelled by route pattern (/portal/:orgSlug), never by raw URL, to bound cardinality.
export function routeLabeler(manifest: Record<string, ManifestRoute | undefined>): (pathname: string) => string {
  const byParent = new Map<string | undefined, ManifestRoute[]>()
  for (const r of Object.values(manifest)) {
    if (!r) continue
    byParent.set(r.parentId, [...(byParent.get(r.parentId) ?? []), r])
  }
  const build = (parentId: string | undefined): RouteObject[] =>
    (byParent.get(parentId) ?? []).map((r) =>
      r.index ? { id: r.id, index: true, path: r.path } : { id: r.id, path: r.path, children: build(r.id) },
    )
  const tree = build(undefined)
  // matchRoutes flattens and ranks every route on each call (a millisecond with this many routes, on
  // every request): remember recent answers. Bounded, since paths carry ids.
  const seen = new Map<string, string>()
  return (pathname) => {
    const known = seen.get(pathname)
    if (known) return known
    const matches = matchRoutes(tree, pathname.replace(/\.data$/, ''))
    const label = matches?.length
      ? `/${matches
          .map((m) => m.route.path ?? '')
          .filter(Boolean)
          .join('/')}`.replace(/\/+/g, '/')
      : 'unmatched'
    if (seen.size >= 5000) seen.clear()
    seen.set(pathname, label)
    return label
  }
}
