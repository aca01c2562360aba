import { publicKeyDocument } from '#services/credentials/issuer-key.ts'

// The key badge credentials are signed with, for offline verification.
export function loader() {
  return Response.json(publicKeyDocument(), { headers: { 'Cache-Control': 'public, max-age=3600' } })
}
