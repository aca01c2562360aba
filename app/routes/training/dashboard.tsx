import { Link, useActionData } from 'react-router'
import { z } from 'zod'
import { type Columns, DataTable } from '#app/components/data-table.tsx'
import { DecisionButtons } from '#app/components/decision-form.tsx'
import type { Route } from './+types/dashboard'
import { Button, Card, Field, FormError, Notice, PageHeader, PostForm } from '#app/components/ui.tsx'
import { attempt, invalid, parseValues } from '#app/lib/forms.server.ts'
import { requireStaff } from '#app/lib/session.server.ts'
import { canAsStaff } from '#services/identity/actor.ts'
import { decideExamApproval, decideExamApprovalSchema } from '#services/training/decide-exam-approval.ts'
import { listExamApprovals } from '#services/training/list-exam-approvals.ts'
import { accommodationSchema, requestAccommodation } from '#services/training/request-accommodation.ts'
import {
  requestCertificateRevocation,
  revokeCertificateSchema,
} from '#services/training/request-certificate-revocation.ts'
import { trainingOverview } from '#services/training/training-overview.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Training · GGML Platform' }]

export async function loader({ context, request }: Route.LoaderArgs) {
  const actor = requireStaff(context, request, 'training.view')
  return {
    ...(await trainingOverview(actor)),
    approvals: await listExamApprovals(actor),
    canAccommodate: canAsStaff(actor, 'exams.accommodate'),
    canRevoke: canAsStaff(actor, 'certificates.revoke'),
  }
}

const intents = z.discriminatedUnion('intent', [
  accommodationSchema.extend({ intent: z.literal('accommodate') }),
  revokeCertificateSchema.extend({ intent: z.literal('revoke') }),
  decideExamApprovalSchema.extend({ intent: z.literal('decide') }),
])

export async function action({ context, request }: Route.ActionArgs) {
  const actor = requireStaff(context, request, 'training.view')
  const parsed = parseValues(Object.fromEntries(await request.formData()), intents)
  if (!parsed.ok) return invalid(parsed.errors)
  return attempt(async () => {
    // Four eyes (issue 30): one instructor asks, a second instructor or an admin decides.
    if (parsed.data.intent === 'accommodate') {
      await requestAccommodation(actor, parsed.data)
      return { notice: `Asked: ${parsed.data.extraMinutes} extra minutes for ${parsed.data.email}, for approval.` }
    }
    if (parsed.data.intent === 'revoke') {
      await requestCertificateRevocation(actor, parsed.data)
      return { notice: 'Asked: a second instructor or an admin approves the revocation.' }
    }
    const r = await decideExamApproval(actor, parsed.data)
    return {
      notice:
        r.decision === 'decline'
          ? 'Declined: nothing changes.'
          : r.kind === 'accommodation'
            ? 'Approved: later attempts get the extra time.'
            : 'Approved: the certificate is revoked and its bit set on the public status list.',
    }
  })
}

type Exam = Route.ComponentProps['loaderData']['exams'][number]

const examColumns: Columns<Exam> = [
  { header: 'Exam', cell: (e) => e.title },
  { header: 'Live items', numeric: true, cell: (e) => e.liveItems },
  {
    header: 'Waiting for review',
    numeric: true,
    cell: (e) =>
      e.inReview > 0 ? (
        <Link
          to={`/training/exams/${e.slug}/items?waiting=review`}
          aria-label={`${e.inReview} item(s) of ${e.title} waiting for review`}
        >
          {e.inReview}
        </Link>
      ) : (
        e.inReview
      ),
  },
  { header: 'Attempts', numeric: true, cell: (e) => e.attempts },
  { header: 'Pass rate', numeric: true, cell: (e) => (e.passRate === null ? '—' : `${Math.round(e.passRate * 100)}%`) },
  {
    header: 'Links',
    hideHeader: true,
    cell: (e) => (
      <>
        <Link to={`/training/exams/${e.slug}/items`}>Item bank</Link> ·{' '}
        <Link to={`/training/exams/${e.slug}/statistics`}>Statistics</Link>
      </>
    ),
  },
]

export default function TrainingDashboard({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  return (
    <>
      <PageHeader
        title="Training"
        subtitle="Item banks, reviews, statistics, accommodations and certificates."
        actions={<Link to="/learn">Public catalog</Link>}
      />
      {result && 'notice' in result && <Notice>{result.notice}</Notice>}
      <FormError errors={errors} />
      <Card title="Exams">
        <DataTable rows={d.exams} rowKey={(e) => e.slug} columns={examColumns} />
      </Card>
      <Card title="Certificates issued">
        <p>
          {d.certificates.valid} valid, {d.certificates.revoked} revoked; {d.learners} learners, {d.enrolments}{' '}
          enrolments, {d.seatPacks} corporate seat packs.
        </p>
      </Card>
      <Card title="Waiting for a second instructor or an admin">
        <DataTable
          rows={d.approvals}
          empty={<p className="hint">No accommodation or revocation is waiting.</p>}
          columns={[
            { header: 'Request', cell: (a) => a.what },
            { header: 'Reason', cell: (a) => a.reason },
            { header: 'Asked by', cell: (a) => a.requestedBy },
            {
              header: 'Decision',
              cell: (a) =>
                a.mayDecide ? (
                  <DecisionButtons
                    className="row"
                    fields={{ intent: 'decide', requestId: a.id }}
                    choices={[
                      { value: 'approve', label: 'Approve' },
                      { value: 'decline', label: 'Decline' },
                    ]}
                  />
                ) : a.mine ? (
                  'You asked: someone else decides.'
                ) : (
                  '—'
                ),
            },
          ]}
        />
      </Card>
      {d.canAccommodate && (
        <Card title="Ask for an accommodation (extra time)">
          <PostForm>
            <input type="hidden" name="intent" value="accommodate" />
            <Field label="Candidate's email" name="email" type="email" errors={errors} />
            <Field label="Exam (slug)" name="examSlug" defaultValue={d.exams[0]?.slug} errors={errors} />
            <Field label="Extra minutes" name="extraMinutes" type="number" errors={errors} />
            <Field label="Reason (documentation seen)" name="reason" errors={errors} />
            <Button type="submit">Ask for approval</Button>
          </PostForm>
        </Card>
      )}
      {d.canRevoke && (
        <Card title="Ask to revoke a certificate">
          <PostForm>
            <input type="hidden" name="intent" value="revoke" />
            <Field label="Certificate id" name="certificateId" errors={errors} />
            <Field label="Reason (shown publicly)" name="reason" errors={errors} />
            <Button type="submit" variant="danger">
              Ask to revoke
            </Button>
          </PostForm>
        </Card>
      )}
    </>
  )
}
