import { DataTable } from '#app/components/data-table.tsx'
import type { Route } from './+types/badge'
import { CopyableCode } from '#app/components/copyable.tsx'
import { openGraph, Verdict } from '#app/components/credential-parts.tsx'
import { Card, PageHeader, signedPercent } from '#app/components/ui.tsx'
import credentialsCss from '#app/styles/credentials.css?url'
import { publicBadge } from '#services/certification/badges.ts'

export const links: Route.LinksFunction = () => [{ rel: 'stylesheet', href: credentialsCss }]

export const meta: Route.MetaFunction = ({ data }) =>
  data
    ? openGraph({
        title: `${data.badge.product}: ${data.badge.label} · Powered by GGML`,
        description: data.badge.verdict.line,
        url: data.badge.url,
        image: data.badge.imageUrl,
        alt: `Powered by GGML badge for ${data.badge.product}. ${data.badge.verdict.line}`,
      })
    : [{ title: 'Badge: Powered by GGML' }]

// Public: anyone may verify a badge. It shows only what the badge certifies.
export async function loader({ params }: Route.LoaderArgs) {
  const badge = await publicBadge(params.badgeId).catch(() => {
    throw new Response('No such badge.', { status: 404 })
  })
  return { badge, signatureValid: badge.signatureValid }
}

export default function Badge({ loaderData: { badge: b, signatureValid } }: Route.ComponentProps) {
  const records = (
    b.result as {
      records: {
        n_prompt: number
        n_gen: number
        avg_ts: number
        stddev_ts: number
        samples_ts: number[]
        n_threads: number
      }[]
    }
  ).records
  return (
    <div className="public-page">
      <PageHeader
        title={`${b.product} (${b.sku})`}
        subtitle={
          <>
            Powered by GGML · {b.partner} · issued <time>{b.issuedAt.slice(0, 10)}</time>
          </>
        }
      />
      {/* Under the name, the verdict in one line; the evidence follows. */}
      <Verdict tone={b.verdict.tone} testId="badge-verdict">
        <strong>{b.verdict.status}:</strong> {b.verdict.line.slice(b.verdict.status.length + 2)}
      </Verdict>
      <p>
        <img src={`/badges/${b.id}/badge.svg`} alt={`Powered by GGML: ${b.label} (${b.assuranceLabel})`} />
      </p>
      <p>
        <strong>{b.assuranceLabel}</strong>: {b.assuranceMeaning}.
      </p>
      {b.files.length > 0 && (
        <p className="product-files">
          {b.files.some((f) => f.kind === 'photo') && (
            <img
              className="product-photo"
              src={`/badges/${b.id}/photo`}
              alt={`${b.product}, as its maker photographed it`}
            />
          )}
          {b.files.some((f) => f.kind === 'spec_sheet') && (
            <a href={`/badges/${b.id}/spec-sheet`}>
              Spec sheet (PDF, SHA-256 {b.files.find((f) => f.kind === 'spec_sheet')!.sha256.slice(0, 12)}…)
            </a>
          )}
        </p>
      )}
      <p className="hint">
        Verify offline: <a href={`/badges/${b.id}/credential.json`}>signed credential</a> ·{' '}
        <a href="/.well-known/ggml-badge-key.json">issuer key</a> · <a href="/badges/status-list">revocation list</a> ·
        raw results as <a href={`/badges/${b.id}/llama-bench.json`}>llama-bench JSON</a> or{' '}
        <a href={`/badges/${b.id}/llama-bench.sql`}>SQL</a> ·{' '}
        <a href={`/badges/${b.id}/shields.json`}>shields.io endpoint</a>
      </p>
      <p className="hint">
        Issued by <a href={b.issuer.url}>ggml.ai</a> and signed with its{' '}
        <a href="/.well-known/ggml-badge-key.json" title={b.issuer.keyId}>
          badge key
        </a>
        . The credential verifies offline with that key; the revocation list says whether the badge still stands.
      </p>
      <Card title="Measured with the real llama.cpp">
        <DataTable
          rows={records}
          rowKey={(_, i) => i}
          columns={[
            { header: 'Test', cell: (r) => (r.n_prompt ? `pp${r.n_prompt}` : `tg${r.n_gen}`) },
            { header: 'Tokens/s', numeric: true, cell: (r) => r.avg_ts.toFixed(1) },
            { header: '± stddev', numeric: true, cell: (r) => r.stddev_ts.toFixed(1) },
            {
              header: 'Every sample (t/s)',
              cell: (r) => <code className="small">{r.samples_ts.map((x) => x.toFixed(1)).join(', ')}</code>,
            },
            { header: 'Threads', numeric: true, cell: (r) => r.n_threads },
          ]}
        />
        <p className="hint">
          Methodology: llama-bench's. An untimed warm-up, then each repetition with a cleared KV cache; prompt
          processing evaluates the prompt in one batch, generation decodes one token at a time; tokens/s is the mean
          over repetitions, ± the sample standard deviation. Inputs are drawn from the job's nonce. Correctness: the
          backend's next-token log-probabilities on a fixed prompt are compared with llama.cpp's CPU backend on the same
          machine; the platform recomputes the verdict from the signed numbers.
        </p>
      </Card>
      <Card title="Hardware, as the partner’s runner declared it">
        <p className="hint">
          The runner reports the machine it registered from; the platform bounds the numbers by it and by its own
          catalogues, and does not see the machine itself.
        </p>
        <Facts facts={b.facts.hardware} />
      </Card>
      <Card title="Model">
        <Facts facts={b.facts.model} />
      </Card>
      <Card title="Settings as run">
        <Facts facts={b.facts.settings} />
        <p className="hint">
          Read back from the llama.cpp context that ran, and compared by the platform with the job’s specification.
        </p>
      </Card>
      {b.furtherRuns.length > 0 && (
        <Card title="Further runs of this product">
          <table>
            <thead>
              <tr>
                <th scope="col">Accepted</th>
                <th scope="col" className="num">
                  pp t/s
                </th>
                <th scope="col" className="num">
                  tg t/s
                </th>
                <th scope="col" className="num">
                  pp vs badge
                </th>
                <th scope="col" className="num">
                  tg vs badge
                </th>
                <th scope="col">Reproduces it (within 5%)</th>
              </tr>
            </thead>
            <tbody>
              {b.furtherRuns.map((r, i) =>
                r.comparison ? (
                  <tr key={i}>
                    <td>{r.at.slice(0, 16).replace('T', ' ')}</td>
                    <td className="num">{r.comparison.pp.toFixed(1)}</td>
                    <td className="num">{r.comparison.tg.toFixed(1)}</td>
                    <td className="num">{signedPercent(r.comparison.ppDelta)}</td>
                    <td className="num">{signedPercent(r.comparison.tgDelta)}</td>
                    <td>{r.comparison.within ? 'yes' : 'no'}</td>
                  </tr>
                ) : (
                  <tr key={i}>
                    <td>{r.at.slice(0, 16).replace('T', ' ')}</td>
                    <td colSpan={5}>other tests than the badge's</td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
          <p className="hint">
            A “reviewed” badge was approved by a certification engineer after a second run (another unit or run)
            reproduced both numbers within 5%.
          </p>
        </Card>
      )}
      <Card title="Checks that ran for this badge">
        <p className="hint">Each check the platform ran on this result, with its figures; nothing else was checked.</p>
        <ul>
          {b.checks.map((c, i) => (
            <li key={`${i}-${c.check}`}>
              {c.review ? '⚑' : c.ok ? '✔' : '✘'} {c.check}
              {c.review
                ? ' (flagged for review; resolved when a ggml engineer approved the badge on the further runs shown)'
                : ''}
              : {c.detail}
            </li>
          ))}
        </ul>
        <p>
          Runner signature (Ed25519) {signatureValid ? 'verifies' : 'DOES NOT verify'} against the runner’s registered
          key:
        </p>
        <pre className="mail-body">
          <code className="small">{b.runnerPublicKey}</code>
        </pre>
        <p className="hint">
          Signature: <code className="small">{b.signature}</code>
        </p>
      </Card>
      <Card title="Show this badge">
        <p>Markdown (a README):</p>
        <CopyableCode text={b.embed.markdown} label="the Markdown snippet" block />
        <p>HTML (a product page):</p>
        <CopyableCode text={b.embed.html} label="the HTML snippet" block />
        <p>Link to this page:</p>
        <CopyableCode text={b.url} label="link to this badge" />
        <p className="hint">
          The image is live: it shows the badge’s standing, so a revoked badge says so wherever it is shown.
        </p>
      </Card>
    </div>
  )
}

function Facts({ facts }: { facts: { label: string; value: string }[] }) {
  return (
    <dl className="terms">
      {facts.map((f) => (
        <div key={f.label}>
          <dt>{f.label}</dt>
          <dd>{f.value}</dd>
        </div>
      ))}
    </dl>
  )
}
