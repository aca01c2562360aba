import { redirect, useActionData } from 'react-router'
import type { Route } from './+types/new-engagement'
import { Button, Card, Field, FormError, PageHeader, PostForm, SelectField } from '#app/components/ui.tsx'
import { fromAppError, invalid, parseValues } from '#app/lib/forms.server.ts'
import { requireStaff } from '#app/lib/session.server.ts'
import { createEngagement, engagementSchema } from '#services/engagements/create-engagement.ts'
import { listEngagementCustomers } from '#services/engagements/list-engagement-customers.ts'
import { currencyCodes } from '#services/money/currency.ts'

export const meta: Route.MetaFunction = () => [{ title: 'New engagement · GGML Platform' }]

export async function loader({ context, request }: Route.LoaderArgs) {
  const actor = requireStaff(context, request, 'services.manage')
  return { customers: await listEngagementCustomers(actor), currencies: [...currencyCodes] }
}

export async function action({ context, request }: Route.ActionArgs) {
  const actor = requireStaff(context, request, 'services.manage')
  const parsed = parseValues(Object.fromEntries(await request.formData()), engagementSchema)
  if (!parsed.ok) return invalid(parsed.errors)
  try {
    const { id } = await createEngagement(actor, parsed.data)
    return redirect(`/services/engagements/${id}`)
  } catch (e) {
    return fromAppError(e)
  }
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
      <FormError errors={errors} />
      <Card>
        <PostForm>
          <SelectField
            label="Customer"
            name="organizationId"
            options={[{ value: '', label: 'Choose…' }, ...d.customers.map((c) => ({ value: c.id, label: c.name }))]}
            errors={errors}
          />
          <Field label="Title" name="title" errors={errors} />
          <SelectField
            label="Kind"
            name="type"
            options={[
              { value: 'time_and_materials', label: 'Time and materials' },
              { value: 'fixed_price', label: 'Fixed price with milestones' },
              { value: 'retainer', label: 'Monthly retainer' },
            ]}
            errors={errors}
          />
          <SelectField
            label="Currency"
            name="currency"
            options={d.currencies.map((c) => ({ value: c, label: c }))}
            errors={errors}
          />
          <Field label="Starts on" name="startsOn" type="date" errors={errors} />
          <Field label="Ends on" name="endsOn" type="date" hint="Optional." errors={errors} />
          <Field label="Lead (email)" name="leadEmail" type="email" errors={errors} />
          <Field label="Budget (hours)" name="budgetHours" errors={errors} />
          <Field
            label="Budget (money)"
            name="budget"
            hint="In the engagement's currency, like 120000."
            errors={errors}
          />
          <div className="field">
            <label htmlFor="team">Team</label>
            <p className="hint">One person per line: email, rate role, cost per hour.</p>
            <textarea id="team" name="team" rows={4} placeholder="ana@ggml.example engineer 95.00" />
            {errors?.fieldErrors?.team && <p className="field-error">{errors.fieldErrors.team.join(' ')}</p>}
          </div>
          <Button>Create the engagement</Button>
        </PostForm>
      </Card>
    </>
  )
}
