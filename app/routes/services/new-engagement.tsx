import { redirect, useActionData } from 'react-router'
import type { Route } from './+types/new-engagement'
import { Button, Card, Field, PageHeader, PostForm, SelectField, TextAreaField } from '#app/components/ui.tsx'
import { formAction } from '#app/lib/forms.server.ts'
import { requireStaff } from '#app/lib/session.server.ts'
import { createEngagement, engagementSchema } from '#services/engagements/create-engagement.ts'
import { listEngagementCustomers } from '#services/engagements/list-engagement-customers.ts'
import { currencyCodes } from '#services/kernel/money/currency.ts'

export const meta: Route.MetaFunction = () => [{ title: 'New engagement · GGML Platform' }]

export async function loader({ context, request }: Route.LoaderArgs) {
  const actor = requireStaff(context, request, 'services.manage')
  return { customers: await listEngagementCustomers(actor), currencies: [...currencyCodes] }
}

export async function action({ context, request }: Route.ActionArgs) {
  const actor = requireStaff(context, request, 'services.manage')
  return formAction(request, engagementSchema, async (values) => {
    const { id } = await createEngagement(actor, values)
    return redirect(`/services/engagements/${id}`)
  })
}

export default function NewEngagement({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  return (
    <>
      <PageHeader
        title="New engagement"
        subtitle="A statement of work: the customer, the terms, the team, the budget."
      />
      <Card>
        <PostForm errors={errors}>
          <SelectField
            label="Customer"
            name="organizationId"
            options={[{ value: '', label: 'Choose…' }, ...d.customers.map((c) => ({ value: c.id, label: c.name }))]}
          />
          <Field label="Title" name="title" />
          <SelectField
            label="Kind"
            name="type"
            options={[
              { value: 'time_and_materials', label: 'Time and materials' },
              { value: 'fixed_price', label: 'Fixed price with milestones' },
              { value: 'retainer', label: 'Monthly retainer' },
            ]}
          />
          <SelectField label="Currency" name="currency" options={d.currencies.map((c) => ({ value: c, label: c }))} />
          <Field label="Starts on" name="startsOn" type="date" />
          <Field label="Ends on" name="endsOn" type="date" hint="Optional." />
          <Field label="Lead (email)" name="leadEmail" type="email" />
          <Field label="Budget (hours)" name="budgetHours" />
          <Field label="Budget (money)" name="budget" hint="In the engagement's currency, like 120000." />
          <TextAreaField
            label="Team"
            name="team"
            rows={4}
            hint="One person per line: email, rate role, cost per hour."
            placeholder="ana@ggml.example engineer 95.00"
          />
          <Button>Create the engagement</Button>
        </PostForm>
      </Card>
    </>
  )
}
