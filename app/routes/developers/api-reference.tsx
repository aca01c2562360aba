import { DataTable } from '#app/components/data-table.tsx'
import type { Route } from './+types/api-reference'
import { Card, PageHeader } from '#app/components/ui.tsx'
import { openApiDocument } from '#app/lib/openapi.server.ts'
import { referenceOf, type ApiReference } from '#app/lib/openapi-reference.ts'
import { requireActor } from '#app/lib/session.server.ts'
import { webhooksGuide, type Inline } from '#app/lib/webhooks-guide.server.ts'
import { appUrl } from '#services/platform/config/env.ts'

export const meta: Route.MetaFunction = () => [{ title: 'API reference · GGML Platform' }]

/** The API reference, rendered here from the served OpenAPI document (no third-party viewer, no CDN). */
export function loader({ context, request }: Route.LoaderArgs) {
  requireActor(context, request)
  return { ...referenceOf(openApiDocument(appUrl())), webhooks: webhooksGuide() }
}

const InlineText = ({ parts }: { parts: Inline }) => (
  <>{parts.map((p, i) => (p.code ? <code key={i}>{p.text}</code> : <span key={i}>{p.text}</span>))}</>
)

/** Receiving webhooks (docs/webhooks.md): the headers, the verification snippet, retries, and every event. */
function WebhooksCard({ guide }: { guide: ReturnType<typeof webhooksGuide> }) {
  return (
    <section className="card" id="webhooks">
      <h3>Receiving webhooks</h3>
      <p>
        An organization admin registers endpoints on the portal’s <strong>Webhooks</strong> page (its URL, the events it
        takes, a signing secret shown once). Each delivery is a <code>POST</code> of JSON{' '}
        <code>{'{ id, type, createdAt, data }'}</code> (<a href="#schema-WebhookEvent">WebhookEvent</a>) with the
        headers <code>GGML-Signature</code>, <code>GGML-Event-Id</code> and <code>GGML-Event-Type</code>. The same event
        may arrive more than once: deduplicate by its <code>id</code>. Amounts are integer minor units as strings.
      </p>
      <p>
        <code>GGML-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;[,v1=&lt;hex&gt;]</code>: each <code>v1</code> is the
        HMAC-SHA256 of <code>&quot;&lt;t&gt;.&lt;raw body&gt;&quot;</code> under one of the endpoint’s secrets, as
        Stripe signs. For 24 hours after <strong>Rotate secret</strong>, deliveries carry a <code>v1</code> for the new
        secret and one for the previous: accept the delivery when any matches. Verify on the raw body before parsing it
        (Node.js):
      </p>
      <pre>{guide.snippet}</pre>
      <p>
        Answer 2xx within 10 seconds (at most 4 kB of the answer is read; redirects are failures). A failed delivery is
        retried after 5, 10, 20, 40 minutes…, doubling up to 12 hours, for three days from the event; if every delivery
        fails for three days the endpoint is disabled and your admins are emailed. Every attempt, with its request and
        answer, is listed on the Webhooks page, where any delivery can be resent. In production an endpoint must be{' '}
        <code>https://</code> on a public address.
      </p>
      <DataTable
        caption="Events"
        rows={guide.events}
        rowKey={(e) => e.type}
        columns={[
          { header: 'Type', cell: (e) => <code>{e.type}</code> },
          { header: 'When', cell: (e) => <InlineText parts={e.when} /> },
          { header: <code>data</code>, cell: (e) => <InlineText parts={e.data} /> },
        ]}
      />
    </section>
  )
}

/** A type label whose schema names link to their definitions below. */
function TypeRef({ label, known }: { label: string; known: Set<string> }) {
  return (
    <code>
      {label.split(/(\w+)/).map((part, i) =>
        known.has(part) ? (
          <a key={i} href={`#schema-${part}`}>
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </code>
  )
}

function OperationCard({ op, known }: { op: ApiReference['operations'][number]; known: Set<string> }) {
  return (
    <section className="card" id={op.id}>
      <h3>
        <code>{op.method}</code> <code>{op.path}</code>
      </h3>
      <p>
        <strong>{op.summary}</strong>
        {op.description && <> · {op.description}</>}
      </p>
      <p className="hint">Authentication: {op.security.length ? op.security.join(' or ') : 'none'}</p>
      {op.parameters.length > 0 && (
        <DataTable
          caption="Parameters"
          rows={op.parameters}
          rowKey={(p) => `${p.in}-${p.name}`}
          columns={[
            {
              header: 'Name',
              cell: (p) => (
                <>
                  <code>{p.name}</code>
                  {p.required && ' (required)'}
                </>
              ),
            },
            { header: 'In', cell: (p) => p.in },
            { header: 'Type', cell: (p) => <TypeRef label={p.type} known={known} /> },
            { header: 'Description', cell: (p) => p.description },
          ]}
        />
      )}
      {op.body.map((b) => (
        <div key={b.type}>
          <p>
            Body as <code>{b.type}</code>: <TypeRef label={b.schema} known={known} />
          </p>
          {b.example && <pre>{b.example}</pre>}
        </div>
      ))}
      <DataTable
        caption="Responses"
        rows={op.responses}
        headless
        rowKey={(r) => r.status}
        columns={[
          { header: 'Status', rowHeader: true, cell: (r) => r.status },
          { header: 'Description', cell: (r) => r.description },
          { header: 'Schema', cell: (r) => r.schema && <TypeRef label={r.schema} known={known} /> },
        ]}
      />
    </section>
  )
}

function SchemaCard({ schema, known }: { schema: ApiReference['schemas'][number]; known: Set<string> }) {
  return (
    <section className="card" id={`schema-${schema.name}`}>
      <h3>{schema.name}</h3>
      {schema.description && <p>{schema.description}</p>}
      {schema.properties.length ? (
        <DataTable
          rows={schema.properties}
          headless
          rowKey={(p) => p.name}
          columns={[
            {
              header: 'Property',
              rowHeader: true,
              cell: (p) => (
                <>
                  <code>{p.name}</code>
                  {!p.required && '?'}
                </>
              ),
            },
            { header: 'Type', cell: (p) => <TypeRef label={p.type} known={known} /> },
            { header: 'Description', cell: (p) => p.description },
          ]}
        />
      ) : (
        <TypeRef label={schema.type} known={known} />
      )}
    </section>
  )
}

export default function ApiReferencePage({ loaderData: d }: Route.ComponentProps) {
  const known = new Set(d.schemas.map((s) => s.name))
  return (
    <>
      <PageHeader
        title="API reference"
        subtitle={
          <>
            {d.info.title} {d.info.version} at <code>{d.server}</code> · the machine-readable contract:{' '}
            <a href="/api/v1/openapi.json">openapi.json</a> (OpenAPI 3.1)
          </>
        }
      />
      <Card title="Overview">
        <p>{d.info.description}</p>
        <ul>
          {d.security.map((s) => (
            <li key={s.name}>
              <code>{s.name}</code>: {s.description}
            </li>
          ))}
        </ul>
        <nav aria-label="Endpoints">
          <ul>
            {d.operations.map((op) => (
              <li key={op.id}>
                <a href={`#${op.id}`}>
                  {op.method} {op.path}
                </a>{' '}
                {op.summary}
              </li>
            ))}
            <li>
              <a href="#webhooks">Webhooks</a> the events sent to your endpoints, and how to verify their signatures
            </li>
          </ul>
        </nav>
      </Card>
      <h2>Endpoints</h2>
      {d.operations.map((op) => (
        <OperationCard key={op.id} op={op} known={known} />
      ))}
      <h2>Webhooks</h2>
      <WebhooksCard guide={d.webhooks} />
      <h2>Schemas</h2>
      {d.schemas.map((s) => (
        <SchemaCard key={s.name} schema={s} known={known} />
      ))}
    </>
  )
}
