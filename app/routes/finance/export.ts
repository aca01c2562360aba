import type { Route } from './+types/export'
import { parseAsOf } from '#app/lib/as-of.server.ts'
import { requireStaff } from '#app/lib/session.server.ts'
import { financeTables, tableCsv, type FinanceTableName } from '#services/finance/finance-reports.ts'

// /finance/export/<table>.csv: the exact numbers (integer minor units) behind each finance table.
export async function loader({ context, request, params }: Route.LoaderArgs) {
  const actor = requireStaff(context, request, 'finance.export')
  const name = params.table.replace(/\.csv$/, '') as FinanceTableName
  if (!Object.hasOwn(financeTables, name)) throw new Response('No such table.', { status: 404 })
  const asOf = parseAsOf(request)
  return new Response(tableCsv(await financeTables[name](actor, { asOf })), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}${asOf ? `-${asOf}` : ''}.csv"`,
    },
  })
}
