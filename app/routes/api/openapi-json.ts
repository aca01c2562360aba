import { openApiDocument } from '#app/lib/openapi.server.ts'
import { appUrl } from '#services/platform/config/env.ts'

/** GET /api/v1/openapi.json: the public APIs' contract, public like any published API reference. */
export function loader() {
  return Response.json(openApiDocument(appUrl()), { headers: { 'Cache-Control': 'public, max-age=300' } })
}
