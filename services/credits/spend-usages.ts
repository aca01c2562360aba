import type { PoolClient } from 'pg'
import { newId } from '../platform/db/ids.ts'
import { unscopedPool } from '../platform/db/unscoped.ts'
import { now } from '../platform/clock.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { allocateUsage, type Allocation, type Lot } from './allocate-usage.ts'
import type { CreditCategory } from './program-terms.ts'

/** A validated usage report (record-usage.ts), ready to be drawn. */
export interface UsageDraft {
  account: string
  category: CreditCategory
  amountMinor: bigint
  at: Date
  requestHash: string
  idempotencyKey: string
}

export type Spent = { usageId: string; allocation: Allocation } | 'replay' | 'no account'

interface Waiting {
  draft: UsageDraft
  resolve: (s: Spent) => void
  reject: (e: unknown) => void
}

/** How long a group waits for a lot's lock held by another transaction (SQLSTATE 55P03 past it). */
const LOCK_TIMEOUT_MS = 2000
const LOCK_NOT_AVAILABLE = '55P03'
/** What one transaction takes at most: enough to amortise its commit, small enough to hold locks briefly. */
const MAX_BATCH = 64
const queue: Waiting[] = []
let flushing = false

/**
 * Group commit (docs/decisions/061): usage reports that arrive while a transaction is in flight wait
 * for it, then go in together, in arrival order, in the next one. An idle platform writes a report at
 * once; a busy one pays one lock, one read, one write and one commit for up to MAX_BATCH reports
 * instead of each. Every report still has its own usage row, journal entry and draws, and is answered
 * only after its transaction committed.
 */
export function spendUsage(draft: UsageDraft): Promise<Spent> {
  return new Promise((resolve, reject) => {
    queue.push({ draft, resolve, reject })
    if (!flushing) void flush()
  })
}

async function flush() {
  flushing = true
  try {
    while (queue.length) {
      const batch = queue.splice(0, MAX_BATCH)
      try {
        const spent = await spendBatch(batch.map((w) => w.draft))
        batch.forEach((w, i) => w.resolve(spent[i]!))
        continue
      } catch (e) {
        if (batch.length === 1) {
          batch[0]!.reject(e)
          continue
        }
      }
      // One report failed the batch (a refusal by the database, a key another process just took):
      // each goes again on its own, so the failure is answered to that report only.
      for (const w of batch) await spendBatch([w.draft]).then((s) => w.resolve(s[0]!), w.reject)
    }
  } finally {
    flushing = false
  }
}

interface LotRow {
  slug: string
  org: string
  credit: string | null
  redeemed: string | null
  /** Null for an account without accepted lots (the left join). */
  id: string | null
  amountMinor: string
  grantedAt: Date
  expiresAt: Date
  category: Lot['category']
  paused: boolean
  revokedAt: Date | null
  drawn: string
}

/**
 * Reports in one transaction on a plain connection: lock the accounts' accepted lots (in id order, so
 * two batches never deadlock), read what each holds, allocate each report in turn in TypeScript
 * (allocate-usage.ts), then write every usage, journal entry, line and draw in one statement. The
 * database's triggers check the draws against their lots and each entry's balance at commit. A key
 * that another transaction committed meanwhile fails a batch (its allocations counted that report);
 * alone, that report is a replay.
 */
async function spendBatch(drafts: UsageDraft[]): Promise<Spent[]> {
  const accounts = [...new Set(drafts.map((d) => d.account))]
  const client = await unscopedPool('contributor').connect()
  let open = false
  try {
    await client.query('BEGIN')
    open = true
    // One group waits for another's locks, not for a stuck transaction: a lock held longer than this fails
    // the group, whose reports then go alone, so only the locked account's report is answered busy.
    await client.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT_MS}ms'`)
    // Lock first, read after: a read in the locking statement would see the draws as they were when it
    // started waiting, not what the transaction it waited for has just committed.
    await client.query(
      `SELECT 1 FROM "CreditGrant" g JOIN "Organization" o ON o."id" = g."organizationId"
        WHERE o."slug" = ANY($1::text[]) AND o."kind" = 'contributor' AND g."status" = 'approved'
          AND g."grantedAt" IS NOT NULL
        ORDER BY g."id" FOR UPDATE OF g`,
      [accounts],
    )
    const books = await readBooks(client, accounts)
    // Keys already in the books are retries, answered as they were: found before allocating, a retry
    // neither counts in the group's allocations nor fails the group at insert.
    const { rows: stored } = await client.query<{ idempotencyKey: string }>(
      `SELECT "idempotencyKey" FROM "CreditUsage" WHERE "idempotencyKey" = ANY($1::text[])`,
      [drafts.map((d) => d.idempotencyKey)],
    )
    const seen = new Set<string>(stored.map((r) => r.idempotencyKey))
    const spent: Spent[] = []
    const writes: { draft: UsageDraft; usageId: string; org: string; allocation: Allocation }[] = []
    for (const d of drafts) {
      const account = books.get(d.account)
      if (!account) {
        spent.push('no account')
        continue
      }
      // A key in the books, or the same key twice in one group: a retry, answered as the first was.
      if (seen.has(d.idempotencyKey)) {
        spent.push('replay')
        continue
      }
      seen.add(d.idempotencyKey)
      const allocation = allocateUsage(account.lots, { category: d.category, amountMinor: d.amountMinor, at: d.at })
      // Accepting a grant opens the account's books (accept-grant.ts): a covered spend always finds them.
      if (allocation.coveredMinor > 0n && (!account.credit || !account.redeemed))
        throw new Error(`contributor account ${d.account} has accepted lots but no credit books`)
      for (const draw of allocation.draws) {
        const lot = account.lots.find((l) => l.id === draw.lotId)!
        lot.remainingMinor -= draw.amountMinor
      }
      const usageId = newId()
      spent.push({ usageId, allocation })
      writes.push({ draft: d, usageId, org: account.org, allocation })
    }
    if (writes.length) {
      const inserted = await insertUsages(client, writes, books)
      if (inserted < writes.length) {
        // A key committed by another transaction since: alone, that report is answered as a replay.
        if (drafts.length > 1) throw new Error('an idempotency key was taken by another transaction')
        return ['replay']
      }
    }
    await client.query('COMMIT')
    open = false
    return spent
  } catch (e) {
    if (drafts.length === 1 && (e as { code?: string }).code === LOCK_NOT_AVAILABLE)
      throw new AppError('busy', 'This contributor’s credits are being drawn by another request; retry in a moment.')
    throw e
  } finally {
    if (open) await client.query('ROLLBACK').catch(() => {})
    client.release()
  }
}

type Books = Map<string, { org: string; credit: string | null; redeemed: string | null; lots: Lot[] }>

async function readBooks(client: PoolClient, accounts: string[]): Promise<Books> {
  const { rows } = await client.query<LotRow>(
    `SELECT o."slug", o."id" AS org,
            (SELECT a."id" FROM "LedgerAccount" a WHERE a."organizationId" = o."id" AND a."currency" = 'USD'
               AND a."type" = 'contributor_credit') AS credit,
            (SELECT a."id" FROM "LedgerAccount" a WHERE a."organizationId" = o."id" AND a."currency" = 'USD'
               AND a."type" = 'credit_redeemed') AS redeemed,
            g."id", g."amountMinor", g."grantedAt", g."expiresAt", g."category"::text AS category, g."paused",
            g."revokedAt",
            (SELECT COALESCE(SUM(x."amountMinor"), 0) FROM "CreditDraw" x WHERE x."grantId" = g."id") AS drawn
       FROM "Organization" o
       LEFT JOIN "CreditGrant" g ON g."organizationId" = o."id" AND g."status" = 'approved'
                                 AND g."grantedAt" IS NOT NULL
      WHERE o."slug" = ANY($1::text[]) AND o."kind" = 'contributor'
      ORDER BY g."id"`,
    [accounts],
  )
  const books: Books = new Map()
  for (const r of rows) {
    let account = books.get(r.slug)
    if (!account) books.set(r.slug, (account = { org: r.org, credit: r.credit, redeemed: r.redeemed, lots: [] }))
    if (r.id === null) continue
    account.lots.push({
      id: r.id,
      remainingMinor: BigInt(r.amountMinor) - BigInt(r.drawn),
      grantedAt: r.grantedAt,
      expiresAt: r.expiresAt,
      category: r.category,
      paused: r.paused,
      revoked: r.revokedAt !== null,
    })
  }
  return books
}

/** Every usage, and for each covered one its journal entry, two lines and draws: one statement. */
async function insertUsages(
  client: PoolClient,
  unsorted: { draft: UsageDraft; usageId: string; org: string; allocation: Allocation }[],
  books: Books,
): Promise<number> {
  const createdAt = now()
  // Rows in key order: two groups inserting overlapping keys take them in the same order, never deadlocking.
  const writes = [...unsorted].sort((a, b) => (a.draft.idempotencyKey < b.draft.idempotencyKey ? -1 : 1))
  const covered = writes.filter((w) => w.allocation.coveredMinor > 0n)
  const draws = covered.flatMap((w) => w.allocation.draws.map((x) => ({ w, x })))
  // Data-modifying CTEs run to completion whether or not the final SELECT reads them.
  const { rows } = await client.query<{ inserted: string }>(
    `WITH u AS (
       INSERT INTO "CreditUsage" ("id", "organizationId", "idempotencyKey", "requestHash", "category", "amountMinor",
                                  "coveredMinor", "occurredAt", "createdAt")
       SELECT x.id, x.org, x.key, x.hash, x.category::"CreditCategory", x.amount, x.covered, x.occurred, $9
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[],
                     $8::timestamptz[]) AS x(id, org, key, hash, category, amount, covered, occurred)
       ON CONFLICT ("idempotencyKey") DO NOTHING RETURNING "id"),
     entries AS (
       SELECT * FROM unnest($10::text[], $11::text[], $12::text[], $13::bigint[], $14::text[], $15::date[],
                            $16::text[], $17::text[])
         AS x(entry, usage, org, covered, description, effective, credit, redeemed)
        WHERE x.usage IN (SELECT "id" FROM u)),
     e AS (
       INSERT INTO "JournalEntry" ("id", "organizationId", "currency", "idempotencyKey", "kind", "description",
                                   "effectiveDate")
       SELECT x.entry, x.org, 'USD', 'credit-usage:' || x.usage, 'credit_spend', x.description, x.effective
         FROM entries x
       RETURNING "id"),
     l AS (
       INSERT INTO "JournalLine" ("id", "entryId", "organizationId", "accountId", "debitMinor", "creditMinor", "memo")
       SELECT gen_random_uuid()::text, x.entry, x.org, v.account, v.debit, v.credit, v.memo
         FROM entries x JOIN e ON e."id" = x.entry,
         LATERAL (VALUES (x.credit, x.covered, 0::bigint, 'Credits spent'),
                         (x.redeemed, 0::bigint, x.covered, 'Redeemed on GGML Cloud'))
           AS v(account, debit, credit, memo)
       RETURNING 1),
     d AS (
       INSERT INTO "CreditDraw" ("id", "organizationId", "grantId", "kind", "key", "amountMinor", "usageId",
                                 "journalEntryId", "createdAt")
       SELECT gen_random_uuid()::text, x.org, y.lot, 'spend', 'usage:' || x.usage || ':' || y.lot, y.amount, x.usage,
              e."id", $9
         FROM unnest($18::text[], $19::text[], $20::bigint[]) AS y(usage, lot, amount)
         JOIN entries x ON x.usage = y.usage JOIN e ON e."id" = x.entry
       RETURNING 1)
     SELECT count(*) AS inserted FROM u`,
    [
      writes.map((w) => w.usageId),
      writes.map((w) => w.org),
      writes.map((w) => w.draft.idempotencyKey),
      writes.map((w) => w.draft.requestHash),
      writes.map((w) => w.draft.category),
      writes.map((w) => w.draft.amountMinor.toString()),
      writes.map((w) => w.allocation.coveredMinor.toString()),
      writes.map((w) => w.draft.at),
      createdAt,
      covered.map(() => newId()),
      covered.map((w) => w.usageId),
      covered.map((w) => w.org),
      covered.map((w) => w.allocation.coveredMinor.toString()),
      covered.map((w) => `GGML Cloud ${w.draft.category.replace('_', '-')} usage`),
      covered.map((w) => w.draft.at.toISOString().slice(0, 10)),
      covered.map((w) => books.get(w.draft.account)!.credit),
      covered.map((w) => books.get(w.draft.account)!.redeemed),
      draws.map(({ w }) => w.usageId),
      draws.map(({ x }) => x.lotId),
      draws.map(({ x }) => x.amountMinor.toString()),
    ],
  )
  return Number(rows[0]!.inserted)
}
