import type { Route } from './+types/metadata'
import { rethrowAsResponse } from '#app/lib/forms.server.ts'
import { spMetadata } from '#services/sso/sp-metadata.ts'

// /sso/<connection>/metadata.xml: this platform as a service provider, for the IdP's admin to import.
export async function loader({ params }: Route.LoaderArgs) {
  const xml = await spMetadata(params.connectionId).catch(rethrowAsResponse)
  return new Response(xml, { headers: { 'Content-Type': 'application/samlmetadata+xml; charset=utf-8' } })
}
