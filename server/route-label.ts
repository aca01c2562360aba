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
  return (pathname) => {
    const matches = matchRoutes(tree, pathname.replace(/\.data$/, ''))
    if (!matches?.length) return 'unmatched'
    const pattern = matches
      .map((m) => m.route.path ?? '')
      .filter(Boolean)
      .join('/')
    return `/${pattern}`.replace(/\/+/g, '/')
  }
}
