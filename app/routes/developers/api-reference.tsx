import type { Route } from './+types/api-reference'
import { Card, PageHeader } from '#app/components/ui.tsx'
import { openApiDocument } from '#app/lib/openapi.server.ts'
import { referenceOf, type ApiReference } from '#app/lib/openapi-reference.ts'
import { requireActor } from '#app/lib/session.server.ts'
import { appUrl } from '#services/config/env.ts'

export const meta: Route.MetaFunction = () => [{ title: 'API reference · GGML Platform' }]

/** The API reference, rendered here from the served OpenAPI document (no third-party viewer, no CDN). */
export function loader({ context, request }: Route.LoaderArgs) {
  requireActor(context, request)
  return referenceOf(openApiDocument(appUrl()))
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
        <table>
          <caption>Parameters</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">In</th>
              <th scope="col">Type</th>
              <th scope="col">Description</th>
            </tr>
          </thead>
          <tbody>
            {op.parameters.map((p) => (
              <tr key={`${p.in}-${p.name}`}>
                <td>
                  <code>{p.name}</code>
                  {p.required && ' (required)'}
                </td>
                <td>{p.in}</td>
                <td>
                  <TypeRef label={p.type} known={known} />
                </td>
                <td>{p.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {op.body.map((b) => (
        <div key={b.type}>
          <p>
            Body as <code>{b.type}</code>: <TypeRef label={b.schema} known={known} />
          </p>
          {b.example && <pre>{b.example}</pre>}
        </div>
      ))}
      <table>
        <caption>Responses</caption>
        <tbody>
          {op.responses.map((r) => (
            <tr key={r.status}>
              <th scope="row">{r.status}</th>
              <td>{r.description}</td>
              <td>{r.schema && <TypeRef label={r.schema} known={known} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

function SchemaCard({ schema, known }: { schema: ApiReference['schemas'][number]; known: Set<string> }) {
  return (
    <section className="card" id={`schema-${schema.name}`}>
      <h3>{schema.name}</h3>
      {schema.description && <p>{schema.description}</p>}
      {schema.properties.length ? (
        <table>
          <tbody>
            {schema.properties.map((p) => (
              <tr key={p.name}>
                <th scope="row">
                  <code>{p.name}</code>
                  {!p.required && '?'}
                </th>
                <td>
                  <TypeRef label={p.type} known={known} />
                </td>
                <td>{p.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
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
          </ul>
        </nav>
      </Card>
      <h2>Endpoints</h2>
      {d.operations.map((op) => (
        <OperationCard key={op.id} op={op} known={known} />
      ))}
      <h2>Schemas</h2>
      {d.schemas.map((s) => (
        <SchemaCard key={s.name} schema={s} known={known} />
      ))}
    </>
  )
}
