import { useActionData } from 'react-router'
import { type Columns, DataTable } from '#app/components/data-table.tsx'
import type { Route } from './+types/rates'
import { Button, Card, Field, FormError, Notice, PageHeader, PostForm, SelectField } from '#app/components/ui.tsx'
import { attempt, invalid, parseValues } from '#app/lib/forms.server.ts'
import { requireStaff } from '#app/lib/session.server.ts'
import { listEngagementCustomers } from '#services/engagements/list-engagement-customers.ts'
import { listRateCard } from '#services/engagements/list-rate-card.ts'
import { repriceSchema, repriceUninvoiced } from '#services/engagements/reprice-uninvoiced.ts'
import { rateSchema, setRate } from '#services/engagements/set-rate.ts'
import { z } from 'zod'
import { currencyCodes } from '#services/kernel/money/currency.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Rate card · GGML Platform' }]

export async function loader({ context, request }: Route.LoaderArgs) {
  const actor = requireStaff(context, request, 'services.manage')
  return {
    customers: await listEngagementCustomers(actor),
    currencies: [...currencyCodes],
    rates: await listRateCard(actor),
  }
}

const intents = z.discriminatedUnion('intent', [
  rateSchema.extend({ intent: z.literal('add') }),
  repriceSchema.extend({ intent: z.literal('reprice') }),
])

export async function action({ context, request }: Route.ActionArgs) {
  const actor = requireStaff(context, request, 'services.manage')
  const parsed = parseValues(Object.fromEntries(await request.formData()), intents)
  if (!parsed.ok) return invalid(parsed.errors)
  const f = parsed.data
  return attempt(async () => {
    if (f.intent === 'reprice') {
      const r = await repriceUninvoiced(actor, f, true)
      return { done: `Re-priced ${r.entries} approved entries not yet invoiced (${r.delta}).` }
    }
    await setRate(actor, f)
    // Approved time keeps its price unless the lead agrees to re-price what no invoice has billed.
    const preview = await repriceUninvoiced(actor, f, false)
    return {
      done: 'Rate added. Approved weeks keep the rate they were priced at.',
      ask: preview.entries ? { ...preview, rateRole: f.rateRole, currency: f.currency } : null,
    }
  })
}

const rateColumns: Columns<Route.ComponentProps['loaderData']['rates'][number]> = [
  { header: 'Role', cell: (r) => r.role },
  { header: 'Rate', cell: (r) => `${r.rate}/h` },
  { header: 'From', cell: (r) => `from ${r.from}` },
  { header: 'Scope', cell: (r) => r.scope },
]

export default function Rates({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  return (
    <>
      <PageHeader title="Rate card" subtitle="Hourly rates by role, from a day on: standard, or for one customer." />
      {result && 'done' in result && <Notice>{result.done}</Notice>}
      {result && 'ask' in result && result.ask && (
        <Card title="Re-price approved time?">
          <p>
            {result.ask.entries} approved entries not yet invoiced would be priced at the new rate ({result.ask.delta}).
            Invoiced time never changes.
          </p>
          <PostForm>
            <input type="hidden" name="intent" value="reprice" />
            <input type="hidden" name="rateRole" value={result.ask.rateRole} />
            <input type="hidden" name="currency" value={result.ask.currency} />
            <Button>Re-price them</Button>
          </PostForm>
        </Card>
      )}
      <FormError errors={errors} />
      <Card title="Add a rate">
        <PostForm>
          <input type="hidden" name="intent" value="add" />
          <Field label="Role" name="rateRole" hint="like principal_engineer" errors={errors} />
          <SelectField label="Currency" name="currency" options={d.currencies.map((c) => ({ value: c, label: c }))} />
          <Field label="Hourly rate" name="rate" errors={errors} />
          <Field label="Effective from" name="effectiveFrom" type="date" errors={errors} />
          <SelectField
            label="For"
            name="customerId"
            options={[
              { value: '', label: 'Every customer (standard)' },
              ...d.customers.map((c) => ({ value: c.id, label: c.name })),
            ]}
          />
          <Button>Add the rate</Button>
        </PostForm>
      </Card>
      <Card title="Rates">
        <DataTable rows={d.rates} headless columns={rateColumns} />
      </Card>
    </>
  )
}
