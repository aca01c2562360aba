import { AppError } from '../platform/errors/app-error.ts'
import type { TenantScope } from '../tenancy/tenant-guard.ts'

/**
 * An expense's receipt as it was stored. The customer sees receipts of approved expenses only (what
 * it is billed for); the team sees every one on the engagement it was allowed to open.
 */
export async function expenseReceipt(
  scope: TenantScope,
  expenseId: string,
  only: { engagementId?: string; approved?: boolean },
) {
  const x = await scope.db.engagementExpense.findFirst({
    where: {
      id: expenseId,
      ...(only.engagementId && { engagementId: only.engagementId }),
      ...(only.approved && { status: 'approved' }),
    },
    select: { receiptFilename: true, receiptContentType: true, receiptBytes: true },
  })
  if (!x) throw new AppError('not_found', 'No such receipt.')
  return x
}

/** The response that serves a stored receipt: its checked type, never sniffed or rendered inline as HTML. */
export const receiptResponse = (x: { receiptFilename: string; receiptContentType: string; receiptBytes: Uint8Array }) =>
  new Response(new Uint8Array(x.receiptBytes), {
    headers: {
      'Content-Type': x.receiptContentType,
      'Content-Disposition': `inline; filename="${x.receiptFilename.replace(/[^\w.\- ]/g, '_')}"`,
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
      'Cache-Control': 'private, no-store',
    },
  })
