import type { Db } from '../platform/db/client.ts'
import type { LedgerAccountType } from '../platform/db/generated/enums.ts'

export interface AccountBalance {
  type: LedgerAccountType
  currency: string
  /** Debits minus credits: positive for asset balances (receivables), negative for revenue. */
  balanceMinor: bigint
}

/** Each account's balance for one partner at the end of a day (all history when no date). */
export async function accountBalances(
  db: Pick<Db, '$queryRaw'>,
  organizationId: string,
  asOf?: string,
): Promise<AccountBalance[]> {
  const rows = await db.$queryRaw<{ type: LedgerAccountType; currency: string; balance: bigint }[]>`
    SELECT a."type", a."currency", COALESCE(SUM(l."debitMinor" - l."creditMinor"), 0)::bigint AS balance
    FROM "LedgerAccount" a
    LEFT JOIN "JournalLine" l ON l."accountId" = a."id"
      AND (${asOf ?? null}::date IS NULL OR EXISTS (SELECT 1 FROM "JournalEntry" e WHERE e."id" = l."entryId"
        AND e."effectiveDate" <= ${asOf ?? null}::date))
    WHERE a."organizationId" = ${organizationId}
    GROUP BY a."type", a."currency"
    ORDER BY a."currency", a."type"`
  return rows.map((r) => ({ type: r.type, currency: r.currency, balanceMinor: BigInt(r.balance) }))
}

/** Sum of every account of every partner, per currency: always zero in double-entry books. */
export async function trialBalance(
  db: Pick<Db, '$queryRaw'>,
): Promise<{ currency: string; debitsMinor: bigint; creditsMinor: bigint }[]> {
  const rows = await db.$queryRaw<{ currency: string; debits: bigint; credits: bigint }[]>`
    SELECT e."currency", COALESCE(SUM(l."debitMinor"), 0)::bigint AS debits, COALESCE(SUM(l."creditMinor"),
      0)::bigint AS credits
    FROM "JournalLine" l JOIN "JournalEntry" e ON e."id" = l."entryId" GROUP BY e."currency" ORDER BY e."currency"`
  return rows.map((r) => ({ currency: r.currency, debitsMinor: BigInt(r.debits), creditsMinor: BigInt(r.credits) }))
}
