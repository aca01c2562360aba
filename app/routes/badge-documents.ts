import type { Route } from './+types/badge-documents'
import { badgeCredential, shieldsEndpoint } from '#services/certification/badge-credential.ts'

// /badges/<id>/credential.json (the signed Open Badges credential) and /badges/<id>/shields.json.
export async function loader({ params }: Route.LoaderArgs) {
  const notFound = () => {
    throw new Response('No such badge.', { status: 404 })
  }
  if (params.document === 'credential.json') return Response.json(await badgeCredential(params.badgeId).catch(notFound), { headers: { 'Content-Type': 'application/vc+json' } })
  if (params.document === 'shields.json') return Response.json(await shieldsEndpoint(params.badgeId).catch(notFound), { headers: { 'Cache-Control': 'public, max-age=300' } })
  return notFound()
}
