import { Link, useActionData } from 'react-router'
import type { Route } from './+types/billing-details'
import { Button, Card, Field, Notice, PageHeader, PostForm, TextAreaField } from '#app/components/ui.tsx'
import { attempt } from '#app/lib/forms.server.ts'
import { pageOrganization, requireTenant } from '#app/lib/tenant.server.ts'
import { billingDetails } from '#services/organizations/billing-party.ts'
import { updateBillingDetails } from '#services/organizations/update-billing-details.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Billing details · GGML Platform' }]

// /portal/<partner>/billing-details: what the partner's invoices, statements, credit notes and SOWs bill to.
export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'billing_details.edit')
  return { ...pageOrganization(scope), ...(await billingDetails(scope)) }
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'billing_details.edit')
  const f = await request.formData()
  const text = (k: string) => (typeof f.get(k) === 'string' ? (f.get(k) as string) : '')
  return attempt(async () => {
    await updateBillingDetails(scope, {
      legalName: text('legalName'),
      billingAddress: text('billingAddress'),
      taxId: text('taxId'),
    })
    return { done: 'Saved. Documents issued from now on bill to these details.' }
  })
}

export default function BillingDetails({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  return (
    <>
      <PageHeader
        title="Billing details"
        subtitle={`What ${d.organization}’s invoices, statements, credit notes and SOWs are addressed to.`}
      />
      {result && 'done' in result && <Notice>{result.done}</Notice>}
      <Card>
        <PostForm errors={errors}>
          <Field label="Legal name" name="legalName" defaultValue={d.legalName} required errors={errors} />
          <TextAreaField
            label="Postal address, one line per line"
            name="billingAddress"
            rows={4}
            defaultValue={d.billingAddress}
          />
          <Field
            label="Tax ID"
            name="taxId"
            hint="VAT, GST or sales-tax number, as issued; leave it empty if you have none."
            defaultValue={d.taxId}
            errors={errors}
          />
          <Button type="submit">Save billing details</Button>
        </PostForm>
      </Card>
      <p>
        <Link to={`/portal/${d.orgSlug}/invoices`}>Back to invoices</Link>
      </p>
    </>
  )
}
