import { Link, redirect, useActionData, useSearchParams } from 'react-router'
import { z } from 'zod'
import { type Columns, DataTable, withHint } from '#app/components/data-table.tsx'
import { RowAction } from '#app/components/row-actions.tsx'
import type { Route } from './+types/home'
import { Card, EmptyState, FormError, Notice, PageHeader } from '#app/components/ui.tsx'
import { attempt, invalid, parseValues, rethrowAsResponse } from '#app/lib/forms.server.ts'
import { requireTenant } from '#app/lib/tenant.server.ts'
import { moneyIn } from '#services/engagements/engagement-money.ts'
import { claimPendingSeats } from '#services/training/assign-seat.ts'
import { confirmReturnedCheckout } from '#services/training/confirm-returned-checkout.ts'
import { learnerHome } from '#services/training/learner-home.ts'
import { refundOrder, refundOrderSchema } from '#services/training/refund-order.ts'
import { startAttempt, startAttemptSchema } from '#services/training/start-attempt.ts'
import { startCheckout, startCheckoutSchema } from '#services/training/start-checkout.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Your training · GGML Platform' }]

const day = (d: Date | string) => new Date(d).toISOString().slice(0, 10)

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'training.learn')
  await claimPendingSeats(scope)
  // Back from Stripe: confirm the payment now, so the exam row below already counts the voucher.
  const paid = new URL(request.url).searchParams.get('paid')
  const checkout = paid ? await confirmReturnedCheckout(scope, paid) : null
  const home = await learnerHome(scope).catch(rethrowAsResponse)
  return {
    orgSlug: scope.organization.slug,
    checkout,
    ...home,
    orders: home.orders.map(({ amountMinor, currency, createdAt, ...o }) => ({
      ...o,
      amount: moneyIn(amountMinor, currency),
      createdAt: day(createdAt),
    })),
    vouchers: home.vouchers.map((v) => ({ ...v, expiresAt: day(v.expiresAt) })),
    attempts: home.attempts.map((a) => ({ ...a, startedAt: day(a.startedAt), deadline: a.deadline.toISOString() })),
    certificates: home.certificates.map((c) => ({ ...c, issuedAt: day(c.issuedAt), expiresAt: day(c.expiresAt) })),
    exams: home.exams.map((e) => ({ ...e, nextAllowedAt: e.nextAllowedAt ? day(e.nextAllowedAt) : null })),
  }
}

const intents = z.discriminatedUnion('intent', [
  startCheckoutSchema.extend({ intent: z.literal('buy') }),
  startAttemptSchema.extend({ intent: z.literal('start') }),
  refundOrderSchema.extend({ intent: z.literal('refund') }),
])

export async function action({ context, request, params }: Route.ActionArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'training.view')
  const parsed = parseValues(Object.fromEntries(await request.formData()), intents)
  if (!parsed.ok) return invalid(parsed.errors)
  return attempt(async () => {
    if (parsed.data.intent === 'buy') throw redirect((await startCheckout(scope, parsed.data)).url)
    if (parsed.data.intent === 'start') {
      const started = await startAttempt(scope, parsed.data)
      throw redirect(`/learn/${scope.organization.slug}/attempts/${started.id}`)
    }
    const r = await refundOrder(scope, parsed.data)
    return { notice: `Refunded ${moneyIn(r.refundedMinor, 'USD')}; what it paid for is revoked.` }
  })
}

type Order = Route.ComponentProps['loaderData']['orders'][number]

const orderStatus = (o: Order) => (
  <>
    {o.stale ? (
      <>
        expired — <Link to="/learn">start again</Link>
      </>
    ) : o.status === 'open' ? (
      'awaiting payment'
    ) : (
      o.status
    )}
    {o.refundReason && <div className="hint">Refunded automatically: {o.refundReason}.</div>}
  </>
)

const examColumns: Columns<Route.ComponentProps['loaderData']['exams'][number]> = [
  {
    header: 'Exam',
    cell: (e) => withHint(<Link to={`/learn/exams/${e.slug}`}>{e.title}</Link>, `${e.timeLimitMinutes} minutes`),
  },
  { header: 'Can you take it now?', cell: (e) => (e.canStart ? `Yes, paid by ${e.paidBy}.` : e.why) },
  {
    header: 'Action',
    hideHeader: true,
    cell: (e) =>
      e.canStart && (
        <RowAction fields={{ intent: 'start', examSlug: e.slug }} variant="primary" label="Start the exam" />
      ),
  },
]

const orderColumns: Columns<Order> = [
  { header: 'Date', cell: (o) => o.createdAt },
  { header: 'Bought', cell: (o) => (o.product === 'exam' ? 'Exam voucher' : 'Course') },
  { header: 'Amount', numeric: true, cell: (o) => o.amount },
  { header: 'Status', cell: orderStatus },
  {
    header: 'Refund',
    hideHeader: true,
    cell: (o) =>
      o.refundable && <RowAction fields={{ intent: 'refund', orderId: o.id }} variant="primary" label="Refund" />,
  },
]

export default function LearnerHome({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  const [params] = useSearchParams()
  return (
    <>
      <PageHeader
        title="Your training"
        subtitle="Courses, exam vouchers, attempts and certificates."
        actions={<Link to="/learn">Catalog</Link>}
      />
      {params.get('paid') &&
        (d.checkout === 'granted' ? (
          <Notice>Payment received: what you bought is below, ready to use.</Notice>
        ) : (
          <Notice>Payment received. What you bought appears here as soon as Stripe confirms it (seconds).</Notice>
        ))}
      {result && 'notice' in result && <Notice>{result.notice}</Notice>}
      <FormError errors={errors} />
      <Card title="Courses">
        {d.courses.length === 0 ? (
          <EmptyState>
            No courses yet: <Link to="/learn">browse the catalog</Link>.
          </EmptyState>
        ) : (
          <ul>
            {d.courses.map((c) => (
              <li key={c.slug}>
                <Link to={`/learn/${d.orgSlug}/courses/${c.slug}`}>{c.title}</Link>: {c.completed} of {c.lessons}{' '}
                lessons{c.completedAt ? ' · completed' : ''}
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title="Certification exams">
        <DataTable rows={d.exams} rowKey={(e) => e.slug} columns={examColumns} />
      </Card>
      <Card title="Attempts">
        {d.attempts.length === 0 ? (
          <EmptyState>No attempts yet.</EmptyState>
        ) : (
          <ul>
            {d.attempts.map((a) => (
              <li key={a.id}>
                <Link to={`/learn/${d.orgSlug}/attempts/${a.id}`}>
                  {a.exam}, attempt {a.number}
                </Link>{' '}
                · <time>{a.startedAt}</time> ·{' '}
                {a.status === 'active' ? 'in progress' : `${a.percent}%, ${a.passed ? 'passed' : 'not passed'}`}
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title="Certificates">
        {d.certificates.length === 0 ? (
          <EmptyState>Pass an exam to earn a certificate anyone can verify.</EmptyState>
        ) : (
          <ul>
            {d.certificates.map((c) => (
              <li key={c.id}>
                <Link to={`/certificates/${c.id}`}>{c.exam}</Link> · issued <time>{c.issuedAt}</time> · valid until{' '}
                <time>{c.expiresAt}</time>
                {c.revoked ? ' · revoked' : ''}
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title="Vouchers and orders">
        {d.vouchers.length + d.orders.length === 0 ? (
          <EmptyState>Nothing bought yet.</EmptyState>
        ) : (
          <>
            <ul>
              {d.vouchers.map((v) => (
                <li key={v.id}>
                  Voucher for {v.exam}: {v.status}, valid until <time>{v.expiresAt}</time>
                </li>
              ))}
            </ul>
            <DataTable rows={d.orders} columns={orderColumns} />
          </>
        )}
      </Card>
    </>
  )
}
