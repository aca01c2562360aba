import { Link, useActionData } from 'react-router'
import { z } from 'zod'
import { type Columns, DataTable } from '#app/components/data-table.tsx'
import { RowAction } from '#app/components/row-actions.tsx'
import type { Route } from './+types/account'
import { BarChart } from '#app/components/charts.tsx'
import { Button, Card, EmptyState, FormError, Notice, PageHeader, PostForm, Stat } from '#app/components/ui.tsx'
import { UrgencyBanner } from '#app/components/urgency-banner.tsx'
import { attempt, invalid, parseValues, rethrowAsResponse } from '#app/lib/forms.server.ts'
import { requireTenant } from '#app/lib/tenant.server.ts'
import { acceptGrant, acceptGrantSchema } from '#services/credits/accept-grant.ts'
import { contributorAccount } from '#services/credits/contributor-account.ts'
import { publicListingSchema, setPublicListing } from '#services/credits/set-public-listing.ts'
import { GGML_CLOUD_URL, lastDayOf, usd } from '#services/credits/program-terms.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Your contributor credits · GGML Platform' }]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'rewards.view')
  const a = await contributorAccount(scope).catch(rethrowAsResponse)
  return {
    organization: { name: a.organization.name, slug: a.organization.slug },
    canAccept: scope.granted.has('rewards.accept'),
    balance: usd(a.balanceMinor),
    booksAgree: a.booksAgree,
    lots: a.lots.map(({ amountMinor, spentMinor, expiredMinor, revokedMinor, remainingMinor, ...l }) => ({
      ...l,
      amount: usd(amountMinor),
      spent: usd(spentMinor),
      expired: usd(expiredMinor),
      revoked: usd(revokedMinor),
      remaining: usd(remainingMinor),
    })),
    schedule: a.schedule.map((s) => ({
      lastDay: s.lastDay,
      amount: usd(s.amountMinor),
      // The chart's scale only; the amount shown is the formatted one above.
      minor: Number(s.amountMinor),
    })),
    activity: a.activity
      .slice(0, 200)
      .map((r) => ({ ...r, at: r.at.toISOString().slice(0, 10), amount: usd(r.amountMinor) })),
    cloudUrl: GGML_CLOUD_URL,
    nextExpiry: a.nextExpiry && {
      ...a.nextExpiry,
      amount: usd(a.nextExpiry.amountMinor),
      amountMinor: undefined,
    },
    drawdownOrder: a.drawdownOrder,
    scores: a.scores.map((s) => ({
      ...s,
      takenDay: s.takenAt.toISOString().slice(0, 10),
      alsoAs: s.mergedLogins.length ? ` and ${s.mergedLogins.join(', ')} (same commit email)` : '',
    })),
  }
}

const intents = z.discriminatedUnion('intent', [
  acceptGrantSchema.extend({ intent: z.literal('accept') }),
  publicListingSchema.extend({ intent: z.literal('listing') }),
])

export async function action({ context, request, params }: Route.ActionArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'rewards.accept')
  const parsed = parseValues(Object.fromEntries(await request.formData()), intents)
  if (!parsed.ok) return invalid(parsed.errors)
  return attempt(async () => {
    if (parsed.data.intent === 'accept') {
      const r = await acceptGrant(scope, parsed.data)
      const last = lastDayOf(r.expiresAt)
      return { done: `The credits are yours until the end of ${last} (UTC).` }
    }
    await setPublicListing(scope, parsed.data)
    return {
      done:
        parsed.data.listPublicly === 'yes'
          ? 'You are named on the public page.'
          : 'You are no longer named on the public page.',
    }
  })
}

const activityColumns: Columns<Route.ComponentProps['loaderData']['activity'][number]> = [
  { header: 'When', className: 'nowrap', cell: (r) => r.at },
  { header: 'What', cell: (r) => r.description },
  { header: 'Amount', numeric: true, cell: (r) => r.amount },
]

export default function Account({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  const waiting = d.lots.filter((l) => l.state === 'waiting for you to accept')
  const lotColumns: Columns<(typeof d.lots)[number]> = [
    { header: 'Lot', cell: (l) => `${l.year} ${l.tier} · ${l.category}` },
    { header: 'Granted', cell: (l) => l.amount },
    { header: 'Spent', cell: (l) => l.spent },
    { header: 'Expired or revoked', cell: (l) => (l.expired !== '$0.00' ? l.expired : l.revoked) },
    { header: 'Left', cell: (l) => l.remaining },
    { header: 'Last day', className: 'nowrap', cell: (l) => l.lastDay ?? '' },
    {
      header: 'Status',
      cell: (l) => (
        <>
          {l.state}
          {d.canAccept && l.grantedAt && (
            <RowAction
              fields={{ intent: 'listing', grantId: l.id, listPublicly: l.listPublicly ? 'no' : 'yes' }}
              label={l.listPublicly ? 'Leave the public page' : 'Join the public page'}
            />
          )}
        </>
      ),
    },
  ]
  return (
    <>
      <PageHeader
        title="Your GGML Cloud credits"
        subtitle={d.organization.name}
        actions={
          <a className="btn btn-secondary" href={`/rewards/${d.organization.slug}/activity.csv`}>
            Download CSV
          </a>
        }
      />
      {result && 'done' in result && <Notice>{result.done}</Notice>}
      <FormError errors={errors} />
      {d.nextExpiry && (
        <UrgencyBanner
          urgency={d.nextExpiry.urgency}
          title={
            d.nextExpiry.daysLeft === 1
              ? `${d.nextExpiry.amount} of your credits expire at the end of today`
              : `${d.nextExpiry.amount} of your credits expire in ${d.nextExpiry.daysLeft} days`
          }
          action={<a href={d.cloudUrl}>Use your credits on GGML Cloud</a>}
        >
          <p>
            That is {d.nextExpiry.percentOfBalance}% of your balance. Whatever is unspent at the end of{' '}
            <span className="nowrap">{d.nextExpiry.lastDay}</span> (UTC) expires unspent.
          </p>
        </UrgencyBanner>
      )}
      {d.canAccept &&
        waiting.map((l) => (
          <Card key={l.id} title={`You have been granted ${l.amount} for ${l.year}`}>
            <PostForm>
              <input type="hidden" name="intent" value="accept" />
              <input type="hidden" name="grantId" value={l.id} />
              <p>
                The credits pay for GGML Cloud ({l.category.toLowerCase()}) for 12 months from today. They cannot be
                exchanged for money or transferred; ggml may revoke credits obtained against the program terms, with two
                people deciding.
              </p>
              <label>
                <input
                  type="checkbox"
                  name="terms"
                  aria-invalid={errors?.fieldErrors?.terms ? true : undefined}
                  aria-describedby={errors?.fieldErrors?.terms ? `terms-error-${l.id}` : undefined}
                />{' '}
                I accept the program terms
              </label>
              {errors?.fieldErrors?.terms && (
                <p id={`terms-error-${l.id}`} className="field-error">
                  {errors.fieldErrors.terms.join(' ')}
                </p>
              )}
              <label>
                <input type="checkbox" name="listPublicly" /> Name me on the public page of this year’s recipients
              </label>
              <Button>Accept the credits</Button>
            </PostForm>
          </Card>
        ))}
      <div className="grid">
        <Stat
          label="Balance"
          value={d.balance}
          hint={d.booksAgree ? 'Agrees with the books' : 'Check: the books differ'}
        />
        <Stat
          label="Next expiry"
          value={d.schedule[0] ? d.schedule[0].amount : 'Nothing'}
          hint={
            d.schedule[0] ? (
              <>
                at the end of <span className="nowrap">{d.schedule[0].lastDay}</span>
              </>
            ) : undefined
          }
        />
      </div>
      <Card title="Lots">
        <DataTable rows={d.lots} empty="No credits yet." columns={lotColumns} />
        <p className="hint">{d.drawdownOrder}</p>
      </Card>
      <Card title="Expiry schedule">
        {d.schedule.length === 0 ? (
          <EmptyState>Nothing to expire.</EmptyState>
        ) : (
          <BarChart
            title="Credits expiring by date"
            category="Last day"
            axis={{ label: 'Credits expiring (USD)', format: (v) => `$${(v / 100).toLocaleString('en-US')}` }}
            bars={d.schedule.map((s) => ({ label: s.lastDay, value: s.minor, text: s.amount }))}
          />
        )}
      </Card>
      <Card title="Activity">
        <DataTable rows={d.activity} headless empty="Nothing yet." rowKey={(_, i) => i} columns={activityColumns} />
      </Card>
      {d.scores.map((s) => (
        <Card key={s.year} title={`Your ${s.year} score`}>
          <DataTable
            rows={s.lines}
            headless
            rowKey={(l) => l.label}
            columns={[
              { header: 'Counted', cell: (l) => `${l.count} ${l.label}` },
              { header: 'Points', className: 'nowrap', cell: (l) => `× ${l.points}` },
              { header: 'Subtotal', numeric: true, cell: (l) => l.subtotal },
            ]}
            footer={
              <tr>
                <td>
                  <strong>Score</strong>
                </td>
                <td />
                <td className="num">
                  <strong>{s.score}</strong>
                </td>
              </tr>
            }
          />
          <p className="hint">
            Rank {s.rank ?? '—'}
            {s.tier ? `, ${s.tier}` : ''}. GitHub activity of {s.login}
            {s.alsoAs} in {s.year}, taken {s.takenDay}.{' '}
            <Link to={`/rewards/recipients/${s.year}`}>This year’s recipients</Link>
          </p>
        </Card>
      ))}
    </>
  )
}
