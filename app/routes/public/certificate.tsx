import { Link } from 'react-router'
import type { Route } from './+types/certificate'
import { CopyableCode } from '#app/components/copyable.tsx'
import { openGraph, Seal, Verdict } from '#app/components/credential-parts.tsx'
import { LogoMark } from '#app/components/public-layout.tsx'
import { Card } from '#app/components/ui.tsx'
import { rethrowAsResponse } from '#app/lib/forms.server.ts'
import credentialsCss from '#app/styles/credentials.css?url'
import { longDate } from '#services/credentials/credential-verdict.ts'
import { publicCertificate } from '#services/training/certificate-credential.ts'

export const links: Route.LinksFunction = () => [{ rel: 'stylesheet', href: credentialsCss }]

export const meta: Route.MetaFunction = ({ data }) =>
  data
    ? openGraph({
        title: `${data.holderName}: ${data.exam.title} · ggml.ai`,
        description:
          `${data.holderName} holds ${data.exam.title}, issued by ggml.ai on ${data.issued}. ` + `${data.verdict}.`,
        url: data.url,
        image: data.imageUrl,
        alt: `Certificate: ${data.holderName}, ${data.exam.title}. ${data.verdict}.`,
      })
    : [{ title: 'Certificate · ggml.ai' }]

// Public: anyone (an employer) verifies a certificate here, or offline from its signed credential.
export async function loader({ params }: Route.LoaderArgs) {
  const c = await publicCertificate(params.certificateId).catch(rethrowAsResponse)
  return { ...c, issued: longDate(c.issuedAt), expires: longDate(c.expiresAt) }
}

export default function Certificate({ loaderData: c }: Route.ComponentProps) {
  const standing = c.standing === 'valid'
  return (
    <div className="public-page credential-page">
      <Verdict tone={c.standing} testId="certificate-verdict">
        {c.verdict}
        {c.revokedReason ? `. Reason: ${c.revokedReason}` : ''}
      </Verdict>
      <article className={`certificate-sheet certificate-${c.standing}`} aria-labelledby="certificate-title">
        <header className="certificate-head">
          <span className="certificate-issuer">
            <LogoMark size={36} />
            <span>
              ggml<span className="brand-tld">.ai</span>
            </span>
          </span>
          <span className="certificate-kind">Certificate of achievement</span>
        </header>
        <p className="certificate-lead">This certifies that</p>
        <p className="certificate-holder" data-testid="certificate-holder">
          {c.holderName}
        </p>
        <p className="certificate-lead">has passed the examination</p>
        <h1 id="certificate-title" className="certificate-exam">
          {c.exam.title}
        </h1>
        <p className="certificate-summary">{c.exam.summary}</p>
        <footer className="certificate-foot">
          <dl className="certificate-facts">
            <div>
              <dt>Issued</dt>
              <dd>{c.issued}</dd>
            </div>
            <div>
              <dt>{c.standing === 'expired' ? 'Expired' : 'Valid until'}</dt>
              <dd>{c.expires}</dd>
            </div>
            <div>
              <dt>Certificate ID</dt>
              <dd>
                <code className="small">{c.id}</code>
              </dd>
            </div>
          </dl>
          <Seal rim={c.sealRim} standing={standing} />
        </footer>
        {c.standing === 'revoked' && (
          <p className="certificate-stamp" aria-hidden="true">
            Revoked
          </p>
        )}
      </article>
      <div className="credential-actions">
        <a className="btn btn-primary" href={c.pdfUrl}>
          Download PDF
        </a>
        {c.linkedIn && (
          <a className="btn btn-secondary" href={c.linkedIn} rel="noopener noreferrer" target="_blank">
            Add to LinkedIn
          </a>
        )}
      </div>
      <CopyableCode text={c.url} label="link to this certificate" />
      <Card title="Verify it yourself">
        <p>
          This certificate is an Open Badges 3.0 credential signed by ggml.ai (eddsa-jcs-2022). Check its signature
          against the <a href={c.keyUrl}>issuer's public key</a> and its bit on the{' '}
          <a href={c.statusListUrl}>revocation status list</a>, or read{' '}
          <a href={c.credentialUrl}>the signed credential (JSON)</a>.
        </p>
        <p className="hint">
          About the exam: <Link to={`/learn/exams/${c.exam.slug}`}>{c.exam.title}</Link>.
        </p>
      </Card>
    </div>
  )
}
