import type { Route } from './+types/credit-note-pdf'
import { rethrowAsResponse } from '#app/lib/forms.server.ts'
import { requireTenant } from '#app/lib/tenant.server.ts'
import { invoiceDetail } from '#services/billing/invoice-detail.ts'
import { renderCreditNotePdf } from '#services/billing/render-invoice-pdf.ts'
import { billingParty } from '#services/organizations/billing-party.ts'

// /portal/<partner>/invoices/<invoice>/credit-notes/<credit note id>.pdf
export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'invoices.view')
  const m = /^([A-Za-z0-9_-]{1,64})\.pdf$/.exec(params.file)
  if (!m) throw new Response('Ask for a credit note as <id>.pdf.', { status: 404 })
  const invoice = await invoiceDetail(scope, params.invoiceId).catch(rethrowAsResponse)
  const pdf = await renderCreditNotePdf(await billingParty(scope), invoice, m[1]!).catch(rethrowAsResponse)
  const number = invoice.creditNotes.find((n) => n.id === m[1])!.number
  return new Response(new Uint8Array(pdf), {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `inline; filename="credit-note-${number.replace(/[^A-Za-z0-9-]/g, '')}.pdf"`,
    },
  })
}
