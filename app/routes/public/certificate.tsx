import { Link } from 'react-router'
import type { Route } from './+types/certificate'
import { Card, PageHeader } from '#app/components/ui.tsx'
import { rethrowAsResponse } from '#app/lib/forms.server.ts'
import { publicCertificate } from '#services/training/certificate-credential.ts'

export const meta: Route.MetaFunction = ({ data }) =>
  data
    ? [
        { title: `${data.holderName}: ${data.exam.title} · verified by ggml.ai` },
        { name: 'description', content: `${data.holderName} holds ${data.exam.title}, issued by ggml.ai.` },
      ]
    : [{ title: 'Certificate · ggml.ai' }]

// Public: anyone (an employer) verifies a certificate here, or offline from its signed credential.
export async function loader({ params }: Route.LoaderArgs) {
  return publicCertificate(params.certificateId).catch(rethrowAsResponse)
}

const standingText = {
  valid: 'Valid',
  expired: 'Expired',
  revoked: 'Revoked',
} as const

export default function Certificate({ loaderData: c }: Route.ComponentProps) {
  return (
    <div className="public-page">
      <PageHeader
        title={c.exam.title}
        subtitle={`Held by ${c.holderName}`}
        actions={<Link to="/learn">GGML training</Link>}
      />
      <Card>
        <p>
          Status: <strong data-testid="certificate-standing">{standingText[c.standing]}</strong>
          {c.revokedReason ? ` (${c.revokedReason})` : ''}
        </p>
        <dl>
          <dt>Holder</dt>
          <dd>{c.holderName}</dd>
          <dt>Certification</dt>
          <dd>
            <Link to={`/learn/exams/${c.exam.slug}`}>{c.exam.title}</Link>: {c.exam.summary}
          </dd>
          <dt>Issued</dt>
          <dd>{c.issuedAt.slice(0, 10)}</dd>
          <dt>Valid until</dt>
          <dd>{c.expiresAt.slice(0, 10)}</dd>
          <dt>Issuer</dt>
          <dd>ggml.ai</dd>
        </dl>
      </Card>
      <Card title="Verify it yourself">
        <p>
          This certificate is an Open Badges 3.0 credential signed by ggml.ai (eddsa-jcs-2022). Check its signature
          against the <a href={c.keyUrl}>issuer's public key</a> and its bit on the{' '}
          <a href={c.statusListUrl}>revocation status list</a>.
        </p>
        <ul>
          <li>
            <a href={c.credentialUrl}>The signed credential (JSON)</a>
          </li>
          <li>
            <a href={c.linkedIn} rel="noopener noreferrer" target="_blank">
              Add to LinkedIn
            </a>
          </li>
        </ul>
        <p className="hint">Link to share: {c.url}</p>
      </Card>
    </div>
  )
}
