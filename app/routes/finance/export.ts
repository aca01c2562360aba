import type { Route } from './+types/export'
import { parseAsOf } from '#app/lib/as-of.server.ts'
import { requireStaff } from '#app/lib/session.server.ts'
import { financeTables, tableCsv, type FinanceTableName } from '#services/finance/finance-reports.ts'

// /finance/export/<table>.csv: the exact numbers behind each finance table, in decimal amounts of the row's
// currency (the header says …_decimal); partner balances with ?all=1 include the zero ones.
export async function loader({ context, request, params }: Route.LoaderArgs) {
  const actor = requireStaff(context, request, 'finance.export')
  const name = params.table.replace(/\.csv$/, '') as FinanceTableName
  if (!Object.hasOwn(financeTables, name)) throw new Response('No such table.', { status: 404 })
  const asOf = parseAsOf(request)
  const all = new URL(request.url).searchParams.get('all') === '1'
  return new Response(tableCsv(await financeTables[name](actor, { asOf, all })), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}${asOf ? `-${asOf}` : ''}.csv"`,
    },
  })
}
