import type { Route } from './+types/contract-document'
import { requireTenant } from '#app/lib/tenant.server.ts'
import { getContractDocument } from '#services/contracts/contract-queries.ts'

// The stored PDF, byte for byte; its SHA-256 travels in a header so a download can be checked.
export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'contracts.view')
  const doc = await getContractDocument(scope, params.contractId, params.documentId).catch(() => {
    throw new Response('No such document.', { status: 404 })
  })
  return new Response(new Uint8Array(doc.bytes), {
    headers: {
      'Content-Type': doc.contentType,
      'Content-Disposition': `inline; filename="${doc.filename}"`,
      'X-Content-SHA256': doc.sha256,
      'Cache-Control': 'private, max-age=3600',
    },
  })
}
