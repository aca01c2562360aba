import { Link, useActionData } from 'react-router'
import { z } from 'zod'
import { type Columns, DataTable, withHint } from '#app/components/data-table.tsx'
import { DecisionButtons } from '#app/components/decision-form.tsx'
import { RowAction } from '#app/components/row-actions.tsx'
import type { Route } from './+types/training'
import { Button, Card, EmptyState, Field, FormError, Notice, PageHeader, PostForm } from '#app/components/ui.tsx'
import { attempt, invalid, parseValues, rethrowAsResponse } from '#app/lib/forms.server.ts'
import { requireTenant } from '#app/lib/tenant.server.ts'
import { assignSeat, assignSeatSchema, releaseSeat, releaseSeatSchema } from '#services/training/assign-seat.ts'
import { decideSeatPack, decideSeatPackSchema } from '#services/training/decide-seat-pack.ts'
import { listPendingSeatPacks } from '#services/training/list-pending-seat-packs.ts'
import { sellSeatPack } from '#services/training/sell-seat-pack.ts'
import { teamTraining } from '#services/training/team-training.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Team training · GGML Platform' }]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'portal.view')
  const canManage = scope.granted.has('training.manage_seats')
  const canSell = scope.granted.has('training.sell_seats')
  return {
    orgSlug: scope.organization.slug,
    canManage,
    canSell,
    packs: canManage ? await teamTraining(scope).catch(rethrowAsResponse) : [],
    pending: canSell ? await listPendingSeatPacks(scope).catch(rethrowAsResponse) : [],
  }
}

const intents = z.discriminatedUnion('intent', [
  assignSeatSchema.extend({ intent: z.literal('assign') }),
  releaseSeatSchema.extend({ intent: z.literal('release') }),
  decideSeatPackSchema.extend({ intent: z.literal('decide') }),
  // The pack's fields are checked by sellSeatPackSchema in the use case.
  z.object({ intent: z.literal('sell') }),
])

export async function action({ context, request, params }: Route.ActionArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'portal.view')
  const form = Object.fromEntries(await request.formData())
  const parsed = parseValues(form, intents)
  if (!parsed.ok) return invalid(parsed.errors)
  return attempt(async () => {
    if (parsed.data.intent === 'assign') {
      await assignSeat(scope, parsed.data)
      return { notice: `Seat assigned to ${parsed.data.email}.` }
    }
    if (parsed.data.intent === 'release') {
      await releaseSeat(scope, parsed.data)
      return { notice: 'Seat taken back; its voucher is revoked.' }
    }
    if (parsed.data.intent === 'decide') {
      await decideSeatPack(scope, parsed.data)
      return { notice: parsed.data.decision === 'approve' ? 'Price approved: the pack is invoiced.' : 'Declined.' }
    }
    const sold = await sellSeatPack(scope, form as Parameters<typeof sellSeatPack>[1])
    return {
      notice: sold.pendingApproval
        ? 'The price is under the floor: the pack waits for another finance person to approve it.'
        : 'Seat pack created and invoiced.',
    }
  })
}

type Seat = Route.ComponentProps['loaderData']['packs'][number]['people'][number]

const seatResult = (s: Seat) =>
  s.certificateId ? (
    <Link to={`/certificates/${s.certificateId}`}>Certified</Link>
  ) : !s.lastAttempt ? (
    '—'
  ) : s.lastAttempt.status === 'active' ? (
    'taking the exam'
  ) : (
    `${s.lastAttempt.percent}%, ${s.lastAttempt.passed ? 'passed' : 'not passed'}`
  )

const seatColumns: Columns<Seat> = [
  { header: 'Person', cell: (s) => withHint(s.email, !s.joined && 'invited, not joined yet') },
  { header: 'Course', cell: (s) => `${s.lessonsDone} / ${s.lessons} lessons` },
  { header: 'Exam voucher', cell: (s) => s.voucher },
  { header: 'Result', cell: seatResult },
]

const pendingColumns: Columns<Route.ComponentProps['loaderData']['pending'][number]> = [
  { header: 'Pack', cell: (p) => p.what },
  { header: 'Price', numeric: true, cell: (p) => p.price },
  { header: 'Floor', numeric: true, cell: (p) => p.floor },
  {
    header: 'Decision',
    cell: (p) =>
      p.mine ? (
        'You sold it: another finance person decides.'
      ) : (
        <DecisionButtons
          className="row"
          fields={{ intent: 'decide', packId: p.id }}
          choices={[
            { value: 'approve', label: 'Approve price' },
            { value: 'decline', label: 'Decline' },
          ]}
        />
      ),
  },
]

export default function TeamTraining({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  return (
    <>
      <PageHeader
        title="Team training"
        subtitle="Seats your company bought: who holds them, their progress and results."
        actions={<Link to="/learn">Catalog</Link>}
      />
      {result && 'notice' in result && <Notice>{result.notice}</Notice>}
      <FormError errors={errors} />
      {d.canManage && d.packs.length === 0 && <EmptyState>No seat packs yet: write to training@ggml.ai.</EmptyState>}
      {d.packs.map((p) => (
        <Card key={p.id} title={`${p.course} + ${p.exam}: ${p.assigned} of ${p.seats} seats assigned`}>
          <DataTable
            rows={p.people}
            rowKey={(s) => s.seatId}
            columns={[
              ...seatColumns,
              {
                header: 'Take back',
                hideHeader: true,
                cell: (s) =>
                  (s.voucher === 'available' || s.voucher === 'pending') && (
                    <RowAction fields={{ intent: 'release', seatId: s.seatId }} label="Take back" />
                  ),
              },
            ]}
          />
          {p.status !== 'approved' && (
            <p className="hint">
              {p.status === 'declined'
                ? 'ggml finance declined this pack’s price: it gives no seats.'
                : 'Waiting for ggml finance to approve the price; seats can be given once it is approved.'}
            </p>
          )}
          {p.status === 'approved' && p.assigned < p.seats && (
            <PostForm>
              <input type="hidden" name="intent" value="assign" />
              <input type="hidden" name="packId" value={p.id} />
              <Field
                label="Give a seat to (a member, or an address at one of your verified domains)"
                name="email"
                type="email"
                errors={errors}
              />
              <Button type="submit">Assign seat</Button>
            </PostForm>
          )}
        </Card>
      ))}
      {d.pending.length > 0 && (
        <Card title="Seat packs waiting for a price approval (ggml finance)">
          <DataTable rows={d.pending} columns={pendingColumns} />
        </Card>
      )}
      {d.canSell && (
        <Card title="Sell a seat pack (ggml staff)">
          <PostForm>
            <input type="hidden" name="intent" value="sell" />
            <Field
              label="Course (slug)"
              name="courseSlug"
              defaultValue="running-llama-cpp-in-production"
              errors={errors}
            />
            <Field label="Exam (slug)" name="examSlug" defaultValue="ggml-certified-engineer" errors={errors} />
            <Field label="Seats" name="seats" type="number" errors={errors} />
            <Field label="Price (USD)" name="price" errors={errors} />
            <Button type="submit">Create and invoice</Button>
          </PostForm>
        </Card>
      )}
    </>
  )
}
