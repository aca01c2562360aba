import { AppError } from '../platform/errors/app-error.ts'
import type { TenantScope } from '../tenancy/tenant-guard.ts'

/** The statement of work as both parties signed it in DocuSign (the combined PDF). */
export async function signedSow(scope: TenantScope, engagementId: string) {
  const e = await scope.db.engagement.findFirst({
    where: { id: engagementId },
    select: { id: true, sowSignedPdf: true, status: true },
  })
  if (!e?.sowSignedPdf) throw new AppError('not_found', 'No signed statement of work.')
  return new Response(new Uint8Array(e.sowSignedPdf), {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="SOW-${e.id.slice(0, 8).toUpperCase()}-signed.pdf"`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    },
  })
}
