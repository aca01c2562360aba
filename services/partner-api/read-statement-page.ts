import type { z } from 'zod'
import { AppError } from '../platform/errors/app-error.ts'
import { partnerStatement } from '../royalties/partner-statement.ts'
import type { TenantScope } from '../tenancy/tenant-guard.ts'
import { pageQuerySchema } from './page-cursor.ts'
import { statementPageSchema } from './schemas.ts'

const offsetCursor = (n: number) => Buffer.from(JSON.stringify({ o: n })).toString('base64url')

function offsetOf(cursor: string | undefined): number {
  if (!cursor) return 0
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    const o = typeof parsed === 'object' && parsed !== null && 'o' in parsed ? parsed.o : undefined
    if (typeof o === 'number' && Number.isSafeInteger(o) && o >= 0) return o
  } catch {
    // falls through to the refusal
  }
  throw new AppError('invalid_input', 'This cursor is not one the API gave out: pass nextCursor back as it came.', {
    cursor: ['Pass the nextCursor of the previous page unchanged.'],
  })
}

/**
 * GET /api/v1/statements/{period}: the period's totals per currency and its bookings a page at a time.
 * A statement of the same ledger is the same byte for byte, so a position in it is a stable cursor.
 */
export async function readStatementPage(
  scope: TenantScope,
  period: string,
  query: unknown,
): Promise<z.output<typeof statementPageSchema>> {
  const page = pageQuerySchema.safeParse(query)
  if (!page.success)
    throw new AppError('invalid_input', 'limit is a whole number from 1 to 100.', {
      limit: ['A whole number from 1 to 100.'],
    })
  const offset = offsetOf(page.data.cursor)
  const s = await partnerStatement(scope, period)
  const lines = s.accounts.flatMap((a) =>
    a.activity.map((l) => ({
      currency: a.currency,
      postedOn: l.postedOn,
      servicePeriod: l.servicePeriod,
      kind: l.kind,
      description: l.description,
      amountMinor: l.amountMinor.toString(),
    })),
  )
  const end = offset + page.data.limit
  return statementPageSchema.parse({
    period: s.period,
    from: s.from,
    to: s.to,
    accounts: s.accounts.map((a) => ({
      currency: a.currency,
      openingMinor: a.openingMinor.toString(),
      chargesTotalMinor: a.chargesTotalMinor.toString(),
      closingMinor: a.closingMinor.toString(),
    })),
    data: lines.slice(offset, end),
    nextCursor: end < lines.length ? offsetCursor(end) : null,
  })
}
