import type { LedgerAccountType } from '../platform/db/generated/enums.ts'
import { LedgerAccountType as accountTypes } from '../platform/db/generated/enums.ts'
import type { Actor } from '../identity/actor.ts'
import { accountLabels } from '../ledger/account-labels.ts'
import { allPartnersScope } from '../tenancy/tenant-guard.ts'

export interface MappedAccount {
  accountType: LedgerAccountType
  /** The platform's own name for it (the trial balance's). */
  label: string
  /** Finance's account, or null while unmapped. */
  code: string | null
  name: string | null
}

/** Every ledger account type with finance's account for it (issue 32), in the trial balance's order. */
export async function accountMapping(actor: Actor): Promise<MappedAccount[]> {
  const { db } = allPartnersScope(actor, 'finance.export_journal')
  const rows = new Map((await db.accountingAccountMapping.findMany()).map((r) => [r.accountType, r]))
  return Object.values(accountTypes).map((t) => ({
    accountType: t,
    label: accountLabels[t],
    code: rows.get(t)?.code ?? null,
    name: rows.get(t)?.name ?? null,
  }))
}
