import { createHash } from 'node:crypto'
import { z } from 'zod'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { newId } from '../platform/db/ids.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { pgPool } from '../platform/db/pg-pool.ts'
import { decimalMessage, formatDecimal, parseDecimal } from '../kernel/money/decimal.ts'
import { now } from '../platform/clock.ts'
import { allocateUsage, type Lot } from './allocate-usage.ts'
import { CATEGORIES } from './program-terms.ts'

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
  const draft = { ...u, amountMinor, at, requestHash, idempotencyKey }
  const result = await spend(draft)
  if (result === 'no account')
    throw new AppError('not_found', `No contributor account “${u.account}”.`, {
      account: ['No such contributor account.'],
    })
  if (result === 'replay') {
    // The same key committed first (a retry, or a race): answer as it was answered.
    const again = await findUsage(idempotencyKey, requestHash)
    if (again) return again
    throw new AppError('conflict', 'This usage report is being recorded; retry in a moment.')
  }
  return result
}

type Draft = z.output<typeof usageSchema> & {
  amountMinor: bigint
  at: Date
  requestHash: string
  idempotencyKey: string
}

/**
 * One usage report in one transaction of five statements on a plain connection (the hot path GGML
 * Cloud calls for every request): lock the account's accepted lots and read what each holds, allocate
 * in TypeScript (allocate-usage.ts), then write the usage, its journal entry, lines and draws in one
 * statement. Every row names the account's organization, looked up by slug and kind in the lock query;
 * the database's triggers check the draws against their lots and the entry's balance at commit.
 */
async function spend(d: Draft): Promise<UsageResult | 'replay' | 'no account'> {
  const client = await pgPool().connect()
  let open = false
  try {
    await client.query('BEGIN')
    open = true
    // Lock first, read after: a read in the locking statement would see the draws as they were when it
    // started waiting, not what the transaction it waited for has just committed.
    await client.query(
      `SELECT 1 FROM "CreditGrant" g JOIN "Organization" o ON o."id" = g."organizationId"
        WHERE o."slug" = $1 AND o."kind" = 'contributor' AND g."status" = 'approved' AND g."grantedAt" IS NOT NULL
        ORDER BY g."id" FOR UPDATE OF g`,
      [d.account],
    )
    const { rows } = await client.query<{
      org: string
      credit: string | null
      redeemed: string | null
      id: string | null
      amountMinor: string
      grantedAt: Date
      expiresAt: Date
      category: Lot['category']
      paused: boolean
      revokedAt: Date | null
      drawn: string
    }>(
      `SELECT o."id" AS org,
              (SELECT a."id" FROM "LedgerAccount" a WHERE a."organizationId" = o."id" AND a."currency" = 'USD'
                 AND a."type" = 'contributor_credit') AS credit,
              (SELECT a."id" FROM "LedgerAccount" a WHERE a."organizationId" = o."id" AND a."currency" = 'USD'
                 AND a."type" = 'credit_redeemed') AS redeemed,
              g."id", g."amountMinor", g."grantedAt", g."expiresAt", g."category"::text AS category, g."paused",
              g."revokedAt",
              (SELECT COALESCE(SUM(x."amountMinor"), 0) FROM "CreditDraw" x WHERE x."grantId" = g."id") AS drawn
         FROM "Organization" o
         JOIN "CreditGrant" g ON g."organizationId" = o."id" AND g."status" = 'approved' AND g."grantedAt" IS NOT NULL
        WHERE o."slug" = $1 AND o."kind" = 'contributor'
        ORDER BY g."id"`,
      [d.account],
    )
    let org = rows[0]?.org
    if (!org) {
      const found = await client.query<{ id: string }>(
        `SELECT "id" FROM "Organization" WHERE "slug" = $1 AND "kind" = 'contributor'`,
        [d.account],
      )
      org = found.rows[0]?.id
      if (!org) return 'no account'
    }
    const lots: Lot[] = rows.map((r) => ({
      id: r.id!,
      remainingMinor: BigInt(r.amountMinor) - BigInt(r.drawn),
      grantedAt: r.grantedAt,
      expiresAt: r.expiresAt,
      category: r.category,
      paused: r.paused,
      revoked: r.revokedAt !== null,
    }))
    const allocation = allocateUsage(lots, { category: d.category, amountMinor: d.amountMinor, at: d.at })
    // Accepting a grant opens the account's books (accept-grant.ts): a covered spend always finds them.
    if (allocation.coveredMinor > 0n && (!rows[0]?.credit || !rows[0]?.redeemed))
      throw new Error(`contributor account ${d.account} has accepted lots but no credit books`)
    const usageId = newId()
    const entryId = newId()
    const createdAt = now()
    const inserted = await client.query<{ inserted: string }>(
      `WITH u AS (
         INSERT INTO "CreditUsage" ("id", "organizationId", "idempotencyKey", "requestHash", "category", "amountMinor",
                                    "coveredMinor", "occurredAt", "createdAt")
         VALUES ($1, $2, $3, $4, $5::"CreditCategory", $6, $7, $8, $9)
         ON CONFLICT ("idempotencyKey") DO NOTHING RETURNING "id"),
       e AS (
         INSERT INTO "JournalEntry" ("id", "organizationId", "currency", "idempotencyKey", "kind", "description",
                                     "effectiveDate")
         SELECT $10, $2, 'USD', 'credit-usage:' || $1, 'credit_spend', $11, $12::date FROM u WHERE $7::bigint > 0
         RETURNING "id"),
       l AS (
         INSERT INTO "JournalLine" ("id", "entryId", "organizationId", "accountId", "debitMinor", "creditMinor", "memo")
         SELECT gen_random_uuid()::text, e."id", $2, v.account, v.debit, v.credit, v.memo FROM e,
           (VALUES ($13::text, $7::bigint, 0::bigint, 'Credits spent'),
                   ($14::text, 0::bigint, $7::bigint, 'Redeemed on GGML Cloud')) AS v(account, debit, credit, memo)
         RETURNING 1),
       d AS (
         INSERT INTO "CreditDraw" ("id", "organizationId", "grantId", "kind", "key", "amountMinor", "usageId",
                                   "journalEntryId", "createdAt")
         SELECT gen_random_uuid()::text, $2, x.lot, 'spend', 'usage:' || $1 || ':' || x.lot, x.amount, $1, e."id", $9
           FROM e, unnest($15::text[], $16::bigint[]) AS x(lot, amount)
         RETURNING 1)
       SELECT (SELECT count(*) FROM u) AS inserted, (SELECT count(*) FROM l) AS lines,
              (SELECT count(*) FROM d) AS draws`,
      [
        usageId,
        org,
        d.idempotencyKey,
        d.requestHash,
        d.category,
        d.amountMinor.toString(),
        allocation.coveredMinor.toString(),
        d.at,
        createdAt,
        entryId,
        `GGML Cloud ${d.category.replace('_', '-')} usage`,
        d.at.toISOString().slice(0, 10),
        rows[0]?.credit ?? null,
        rows[0]?.redeemed ?? null,
        allocation.draws.map((x) => x.lotId),
        allocation.draws.map((x) => x.amountMinor.toString()),
      ],
    )
    if (inserted.rows[0]!.inserted === '0') return 'replay'
    await client.query('COMMIT')
    open = false
    return {
      usageId,
      account: d.account,
      category: d.category,
      amount: formatDecimal(d.amountMinor, 2),
      covered: formatDecimal(allocation.coveredMinor, 2),
      uncovered: formatDecimal(allocation.uncoveredMinor, 2),
      draws: allocation.draws.map((x) => ({ lotId: x.lotId, amount: formatDecimal(x.amountMinor, 2) })),
      replayed: false,
    }
  } finally {
    if (open) await client.query('ROLLBACK').catch(() => {})
    client.release()
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
