import type { Route } from './+types/contract-document'
import { fileResponse } from '#app/lib/file-response.server.ts'
import { requireTenant } from '#app/lib/tenant.server.ts'
import { getContractDocument } from '#services/contracts/contract-queries.ts'

// The stored PDF, byte for byte; its SHA-256 travels in a header so a download can be checked.
export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'contracts.view')
  const doc = await getContractDocument(scope, params.contractId, params.documentId).catch(() => {
    throw new Response('No such document.', { status: 404 })
  })
  return fileResponse(doc.bytes, {
    contentType: doc.contentType,
    filename: doc.filename,
    headers: { 'X-Content-SHA256': doc.sha256 },
  })
}
