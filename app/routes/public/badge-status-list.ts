import { statusListCredential } from '#services/credentials/status-list.ts'

// The W3C Bitstring Status List of revoked badges, signed by the platform.
export async function loader() {
  return Response.json(await statusListCredential(), {
    headers: { 'Content-Type': 'application/vc+json', 'Cache-Control': 'public, max-age=60' },
  })
}
