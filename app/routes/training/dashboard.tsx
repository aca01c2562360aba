import { Link, useActionData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/dashboard'
import { Button, Card, Field, FormError, Notice, PageHeader, PostForm } from '#app/components/ui.tsx'
import { fromAppError, invalid, parseValues } from '#app/lib/forms.server.ts'
import { requireStaff } from '#app/lib/session.server.ts'
import { canAsStaff } from '#services/identity/actor.ts'
import { accommodationSchema, approveAccommodation } from '#services/training/approve-accommodation.ts'
import { revokeCertificate, revokeCertificateSchema } from '#services/training/revoke-certificate.ts'
import { trainingOverview } from '#services/training/training-overview.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Training · GGML Platform' }]

export async function loader({ context, request }: Route.LoaderArgs) {
  const actor = requireStaff(context, request, 'training.view')
  return {
    ...(await trainingOverview(actor)),
    canAccommodate: canAsStaff(actor, 'exams.accommodate'),
    canRevoke: canAsStaff(actor, 'certificates.revoke'),
  }
}

const intents = z.discriminatedUnion('intent', [
  accommodationSchema.extend({ intent: z.literal('accommodate') }),
  revokeCertificateSchema.extend({ intent: z.literal('revoke') }),
])

export async function action({ context, request }: Route.ActionArgs) {
  const actor = requireStaff(context, request, 'training.view')
  const parsed = parseValues(Object.fromEntries(await request.formData()), intents)
  if (!parsed.ok) return invalid(parsed.errors)
  try {
    if (parsed.data.intent === 'accommodate') {
      const a = await approveAccommodation(actor, parsed.data)
      return { notice: `${a.extraMinutes} extra minutes approved for ${parsed.data.email}.` }
    }
    await revokeCertificate(actor, parsed.data)
    return { notice: 'Certificate revoked: its bit is set on the public status list.' }
  } catch (e) {
    return fromAppError(e)
  }
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
                <td className="num">{e.inReview}</td>
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
      {d.canAccommodate && (
        <Card title="Approve an accommodation (extra time)">
          <PostForm>
            <input type="hidden" name="intent" value="accommodate" />
            <Field label="Candidate's email" name="email" type="email" errors={errors} />
            <Field label="Exam (slug)" name="examSlug" defaultValue={d.exams[0]?.slug} errors={errors} />
            <Field label="Extra minutes" name="extraMinutes" type="number" errors={errors} />
            <Field label="Reason (documentation seen)" name="reason" errors={errors} />
            <Button type="submit">Approve</Button>
          </PostForm>
        </Card>
      )}
      {d.canRevoke && (
        <Card title="Revoke a certificate">
          <PostForm>
            <input type="hidden" name="intent" value="revoke" />
            <Field label="Certificate id" name="certificateId" errors={errors} />
            <Field label="Reason (shown publicly)" name="reason" errors={errors} />
            <Button type="submit" variant="danger">
              Revoke
            </Button>
          </PostForm>
        </Card>
      )}
    </>
  )
}
