import { publicKeyDocument } from '#services/certification/badge-credential.ts'

// The key badge credentials are signed with, for offline verification.
export function loader() {
  return Response.json(publicKeyDocument(), { headers: { 'Cache-Control': 'public, max-age=3600' } })
}
