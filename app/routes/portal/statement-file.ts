import type { Route } from './+types/statement-file'
import { rethrowAsResponse } from '#app/lib/forms.server.ts'
import { requireTenant } from '#app/lib/tenant.server.ts'
import { appUrl } from '#services/platform/config/env.ts'
import { billingParty } from '#services/organizations/billing-party.ts'
import { partnerStatement, statementCsv, statementPdf } from '#services/royalties/partner-statement.ts'

// /portal/<partner>/statements/2027-Q1.pdf (or .csv): the statement as a document.
export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'statements.view')
  const m = /^(.+)\.(csv|pdf)$/.exec(params.file)
  if (!m) throw new Response('Ask for a .csv or .pdf statement, like 2027-Q1.pdf.', { status: 404 })
  const s = await partnerStatement(scope, m[1]!).catch(rethrowAsResponse)
  const name = `statement-${scope.organization.slug}-${s.period}`
  if (m[2] === 'csv')
    return new Response(statementCsv(s), {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${name}.csv"`,
      },
    })
  const payUrl = `${appUrl()}/portal/${scope.organization.slug}/invoices?status=outstanding`
  return new Response(new Uint8Array(await statementPdf(s, await billingParty(scope), { payUrl })), {
    headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': `inline; filename="${name}.pdf"` },
  })
}
