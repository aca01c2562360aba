import { addMonths } from '../services/kernel/calendar/months.ts'
import { db } from '../services/platform/db/client.ts'
import type { LedgerAccountType } from '../services/platform/db/generated/enums.ts'
import { exportPeriodJournal } from '../services/finance/export-period-journal.ts'
import { saveAccountMapping } from '../services/finance/save-account-mapping.ts'
import { actorForUser } from '../services/identity/sessions.ts'
import { todayUtc } from '../services/platform/clock.ts'
import { closePeriod } from '../services/royalties/close-period.ts'

/** A small company's chart, receivables as QuickBooks sub-accounts (Parent:Sub), as finance would map it. */
const demoChart: Record<LedgerAccountType, { code: string; name: string }> = {
  cash: { code: '1000', name: 'Operating bank account' },
  royalty_receivable: { code: '1100', name: 'Accounts Receivable:Royalties' },
  services_receivable: { code: '1110', name: 'Accounts Receivable:Services' },
  training_receivable: { code: '1120', name: 'Accounts Receivable:Training' },
  contributor_credit: { code: '2100', name: 'Contributor credits held' },
  deferred_revenue: { code: '2200', name: 'Deferred revenue' },
  partner_credit: { code: '2300', name: 'Customer credits payable' },
  royalty_revenue: { code: '4000', name: 'Royalty revenue' },
  base_fee_revenue: { code: '4010', name: 'License fee revenue' },
  pilot_fee_revenue: { code: '4020', name: 'Pilot revenue' },
  minimum_guarantee_revenue: { code: '4030', name: 'Minimum guarantee revenue' },
  services_revenue: { code: '4100', name: 'Professional services revenue' },
  training_revenue: { code: '4200', name: 'Training revenue' },
  credit_redeemed: { code: '4300', name: 'Contributor credits redeemed' },
  credit_breakage: { code: '4310', name: 'Contributor credit breakage' },
  credit_program_expense: { code: '6100', name: 'Contributor program expense' },
}

/**
 * Issue 32's demo: finance has mapped its chart of accounts, closed last month (services invoices and
 * GGML Cloud's credit spending are in it) and exported its journal once, so /finance/accounting shows
 * a closed month with its Xero, QuickBooks Online and generic files. Idempotent: a month already
 * closed is not closed again, and one already exported is not exported again.
 */
export async function seedDemoAccounting(): Promise<void> {
  const user = await db().user.findUniqueOrThrow({ where: { email: 'finance@ggml.example' } })
  const finance = await actorForUser(user.id)
  if ((await db().accountingAccountMapping.count()) === 0) await saveAccountMapping(finance, demoChart)
  const month = addMonths(`${todayUtc().slice(0, 7)}-01`, -1).slice(0, 7)
  if (!(await db().ledgerPeriodClose.findUnique({ where: { period: month } }))) await closePeriod(finance, month)
  if ((await db().accountingExport.count({ where: { period: month } })) === 0) await exportPeriodJournal(finance, month)
}
