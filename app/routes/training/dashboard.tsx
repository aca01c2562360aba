import { Link, useActionData } from 'react-router'
import { z } from 'zod'
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
        <table>
          <thead>
            <tr>
              <th scope="col">Exam</th>
              <th scope="col" className="num">
                Live items
              </th>
              <th scope="col" className="num">
                Waiting for review
              </th>
              <th scope="col" className="num">
                Attempts
              </th>
              <th scope="col" className="num">
                Pass rate
              </th>
              <th scope="col">
                <span className="visually-hidden">Links</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {d.exams.map((e) => (
              <tr key={e.slug}>
                <td>{e.title}</td>
                <td className="num">{e.liveItems}</td>
                <td className="num">
                  {e.inReview > 0 ? (
                    <Link
                      to={`/training/exams/${e.slug}/items?waiting=review`}
                      aria-label={`${e.inReview} item(s) of ${e.title} waiting for review`}
                    >
                      {e.inReview}
                    </Link>
                  ) : (
                    e.inReview
                  )}
                </td>
                <td className="num">{e.attempts}</td>
                <td className="num">{e.passRate === null ? '—' : `${Math.round(e.passRate * 100)}%`}</td>
                <td>
                  <Link to={`/training/exams/${e.slug}/items`}>Item bank</Link> ·{' '}
                  <Link to={`/training/exams/${e.slug}/statistics`}>Statistics</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card title="Certificates issued">
        <p>
          {d.certificates.valid} valid, {d.certificates.revoked} revoked; {d.learners} learners, {d.enrolments}{' '}
          enrolments, {d.seatPacks} corporate seat packs.
        </p>
      </Card>
      <Card title="Waiting for a second instructor or an admin">
        {d.approvals.length === 0 ? (
          <p className="hint">No accommodation or revocation is waiting.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Request</th>
                <th scope="col">Reason</th>
                <th scope="col">Asked by</th>
                <th scope="col">Decision</th>
              </tr>
            </thead>
            <tbody>
              {d.approvals.map((a) => (
                <tr key={a.id}>
                  <td>{a.what}</td>
                  <td>{a.reason}</td>
                  <td>{a.requestedBy}</td>
                  <td>
                    {a.mayDecide ? (
                      <div className="row">
                        {(['approve', 'decline'] as const).map((decision) => (
                          <PostForm key={decision}>
                            <input type="hidden" name="intent" value="decide" />
                            <input type="hidden" name="requestId" value={a.id} />
                            <input type="hidden" name="decision" value={decision} />
                            <Button type="submit" variant={decision === 'approve' ? 'primary' : 'secondary'}>
                              {decision === 'approve' ? 'Approve' : 'Decline'}
                            </Button>
                          </PostForm>
                        ))}
                      </div>
                    ) : a.mine ? (
                      'You asked: someone else decides.'
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
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
