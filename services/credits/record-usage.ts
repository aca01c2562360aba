import { createHash } from 'node:crypto'
import { z } from 'zod'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { decimalMessage, formatDecimal, parseDecimal } from '../kernel/money/decimal.ts'
import { now } from '../platform/clock.ts'
import { CATEGORIES } from './program-terms.ts'
import { spendUsage } from './spend-usages.ts'

export const usageSchema = z.object({
  account: z.string().trim().min(1, 'Name the contributor’s account (its slug, like gh-ada-dev0).').max(80),
  category: z.enum(CATEGORIES, `The service category is one of ${CATEGORIES.join(', ')}.`),
  amount: z
    .string('The amount is a decimal string in USD, like "12.50".')
    .trim()
    .regex(/^\d{1,9}(\.\d{1,2})?$/, 'The amount is a decimal string in USD with at most two decimals, like "12.50".'),
  occurredAt: z.iso.datetime({ offset: true, message: 'occurredAt is an ISO 8601 time, like 2027-03-01T12:00:00Z.' }),
})

export interface UsageResult {
  usageId: string
  account: string
  category: string
  amount: string
  covered: string
  uncovered: string
  draws: { lotId: string; amount: string }[]
  replayed: boolean
}

const hashOf = (u: z.output<typeof usageSchema>) =>
  createHash('sha256')
    .update(JSON.stringify([u.account, u.category, u.amount, new Date(u.occurredAt).toISOString()]))
    .digest('hex')

/**
 * GGML Cloud's usage report: drawn from the contributor's lots in the documented order, under a lock
 * on their lots so concurrent reports never overdraw; what the lots do not cover is answered as
 * uncovered, for GGML Cloud to bill. Once per idempotency key: a retry gets the first answer; the same
 * key with another body is refused.
 */
export async function recordUsage(input: unknown, idempotencyKey: string): Promise<UsageResult> {
  if (!/^[\x21-\x7e]{1,200}$/.test(idempotencyKey))
    throw new AppError('invalid_input', 'The Idempotency-Key header is 1 to 200 visible ASCII characters.')
  const parsed = usageSchema.safeParse(input)
  if (!parsed.success) {
    const fields: Record<string, string[]> = {}
    for (const i of parsed.error.issues) (fields[i.path.join('.') || 'body'] ??= []).push(i.message)
    throw new AppError('invalid_input', 'Check the usage report.', fields)
  }
  const u = parsed.data
  const requestHash = hashOf(u)
  let amountMinor: bigint
  try {
    amountMinor = parseDecimal(u.amount, 2)
  } catch (e) {
    throw new AppError('invalid_input', 'Check the usage report.', { amount: [decimalMessage(e)] })
  }
  if (amountMinor <= 0n)
    throw new AppError('invalid_input', 'Check the usage report.', { amount: ['The amount is above zero.'] })
  const at = new Date(u.occurredAt)
  if (at.getTime() > now().getTime() + 5 * 60_000)
    throw new AppError('invalid_input', 'Check the usage report.', {
      occurredAt: ['Usage cannot be reported before it happens.'],
    })
  const spent = await spendUsage({
    account: u.account,
    category: u.category,
    amountMinor,
    at,
    requestHash,
    idempotencyKey,
  })
  if (spent === 'no account')
    throw new AppError('not_found', `No contributor account “${u.account}”.`, {
      account: ['No such contributor account.'],
    })
  if (spent === 'replay') {
    // The same key committed first (a retry, or a race): answer as it was answered.
    const again = await findUsage(idempotencyKey, requestHash)
    if (again) return again
    throw new AppError('conflict', 'This usage report is being recorded; retry in a moment.')
  }
  const { usageId, allocation } = spent
  return {
    usageId,
    account: u.account,
    category: u.category,
    amount: formatDecimal(amountMinor, 2),
    covered: formatDecimal(allocation.coveredMinor, 2),
    uncovered: formatDecimal(allocation.uncoveredMinor, 2),
    draws: allocation.draws.map((x) => ({ lotId: x.lotId, amount: formatDecimal(x.amountMinor, 2) })),
    replayed: false,
  }
}

async function findUsage(idempotencyKey: string, requestHash: string): Promise<UsageResult | null> {
  const seen = await unscopedDb('contributor').creditUsage.findUnique({
    where: { idempotencyKey },
    include: { organization: { select: { slug: true } }, draws: { orderBy: { createdAt: 'asc' } } },
  })
  if (!seen) return null
  if (seen.requestHash !== requestHash)
    throw new AppError('conflict', 'This Idempotency-Key was used for a different usage report; use a new key.')
  return {
    usageId: seen.id,
    account: seen.organization.slug,
    category: seen.category,
    amount: formatDecimal(seen.amountMinor, 2),
    covered: formatDecimal(seen.coveredMinor, 2),
    uncovered: formatDecimal(seen.amountMinor - seen.coveredMinor, 2),
    draws: seen.draws.map((d) => ({ lotId: d.grantId, amount: formatDecimal(d.amountMinor, 2) })),
    replayed: true,
  }
}
