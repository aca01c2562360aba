import type { Route } from './+types/reports-csv'
import { rethrowAsResponse } from '#app/lib/forms.server.ts'
import { requireStaff } from '#app/lib/session.server.ts'
import { toCsv } from '#services/platform/csv/csv.ts'
import { reportRange } from '#services/engagements/report-range.ts'
import { margins, utilization } from '#services/engagements/services-reports.ts'

// /services/reports.csv?kind=utilization|margin&from=…&to=…: the tables behind the charts.
export async function loader({ context, request }: Route.LoaderArgs) {
  const actor = requireStaff(context, request, 'services.view')
  const q = new URL(request.url).searchParams
  const kind = q.get('kind')
  if (kind !== 'utilization' && kind !== 'margin')
    throw new Response('Ask for kind=utilization or kind=margin.', { status: 400 })
  let range
  try {
    range = reportRange({ from: q.get('from') || undefined, to: q.get('to') || undefined })
  } catch (e) {
    rethrowAsResponse(e)
  }
  const rows =
    kind === 'utilization'
      ? [
          ['consultant', 'billable_hours', 'capacity_hours', 'utilization_pct', 'submitted_hours'],
          ...(await utilization(actor, range)).map((p) => [
            p.person,
            p.billableHours,
            p.capacityHours,
            p.utilization,
            p.submittedHours,
          ]),
        ]
      : [
          [
            'engagement',
            'customer',
            'type',
            'currency',
            'hours',
            'revenue_minor',
            'cost_minor',
            'margin_minor',
            'margin_pct',
            'budget_hours',
            'eac_hours',
            'budget_status',
          ],
          ...(await margins(actor, range)).map((e) => [
            e.engagement,
            e.customer,
            e.type,
            e.currency,
            e.hours,
            e.revenueMinor,
            e.costMinor,
            e.marginMinor,
            e.marginPct,
            e.budgetHours,
            e.eacHours,
            e.budget,
          ]),
        ]
  return new Response(toCsv(rows), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="services-${kind}-${range.from}-${range.to}.csv"`,
    },
  })
}
