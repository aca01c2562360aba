import type { ReactNode } from 'react'
import { Card, EmptyState } from './ui.tsx'

export interface ContractViewData {
  id: string
  number: string
  title: string
  kindLabel: string
  status: string
  terminationReason: string | null
  versions: {
    id: string
    version: number
    state: string
    effectiveFrom: string
    termsSha256: string
    rows: { key: string; label: string; value: string }[]
    changes: { key: string; label: string; before: string | null; after: string | null }[]
    priceBookExceptions: string[]
    signedAt: string | null
    envelopes: { envelopeId: string; status: string; declineReason: string | null; voidReason: string | null }[]
    documents: { id: string; kind: string; filename: string; sha256: string }[]
  }[]
  events: { id: string; type: string; at: string; actor: string; reason: string | null }[]
}

export const statusLabel = (s: string) => s.replaceAll('_', ' ')
const documentLabel: Record<string, string> = {
  agreement: 'Agreement as sent',
  signed_agreement: 'Signed agreement',
  certificate: 'Certificate of completion',
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${status}`}>{statusLabel(status)}</span>
}

/** The version in force (newest signed), else the newest: what "the current terms" means. */
export function currentVersion(c: ContractViewData) {
  return [...c.versions].reverse().find((v) => v.state === 'signed') ?? c.versions.at(-1)!
}

export function ContractView({
  contract: c,
  documentHref,
  actions,
}: {
  contract: ContractViewData
  documentHref: (documentId: string) => string
  actions?: ReactNode
}) {
  const current = currentVersion(c)
  const keys = [...new Set(c.versions.flatMap((v) => v.rows.map((r) => r.key)))]
  const labelOf = (key: string) => c.versions.flatMap((v) => v.rows).find((r) => r.key === key)?.label ?? key
  return (
    <>
      {actions}
      <Card
        title={
          `Current terms (version ${current.version}, ${statusLabel(current.state)}, effective ` +
          `${current.effectiveFrom})`
        }
      >
        <dl className="terms">
          {current.rows.map((r) => (
            <div key={r.key}>
              <dt>{r.label}</dt>
              <dd>{r.value}</dd>
            </div>
          ))}
        </dl>
        <p className="hint">
          Terms fingerprint (SHA-256): <code className="small">{current.termsSha256}</code>
        </p>
        {c.terminationReason && <p className="alert alert-error">Terminated: {c.terminationReason}</p>}
      </Card>

      <Card title="Documents">
        {c.versions.every((v) => v.documents.length === 0) ? (
          <EmptyState>No documents yet: the agreement is rendered when it is sent for signature.</EmptyState>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Document</th>
                <th scope="col">SHA-256</th>
              </tr>
            </thead>
            <tbody>
              {c.versions.flatMap((v) =>
                v.documents.map((d) => (
                  <tr key={d.id}>
                    <td>v{v.version}</td>
                    <td>
                      <a href={documentHref(d.id)}>{documentLabel[d.kind] ?? d.kind}</a>{' '}
                      <span className="hint">{d.filename}</span>
                    </td>
                    <td>
                      <code className="small">{d.sha256}</code>
                    </td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        )}
      </Card>

      {c.versions.length > 1 && (
        <Card title="Versions side by side">
          <div className="table-scroll">
            <table className="versions">
              <thead>
                <tr>
                  <th scope="col">Term</th>
                  {c.versions.map((v) => (
                    <th key={v.id} scope="col">
                      v{v.version} · {statusLabel(v.state)} · from {v.effectiveFrom}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {keys.map((key) => (
                  <tr key={key}>
                    <th scope="row">{labelOf(key)}</th>
                    {c.versions.map((v, i) => {
                      const value = v.rows.find((r) => r.key === key)?.value
                      const changed = i > 0 && v.changes.some((ch) => ch.key === key)
                      return (
                        <td key={v.id} className={changed ? 'changed' : undefined}>
                          {value ?? <span className="hint">none</span>}
                          {changed && <span className="sr-only"> (changed)</span>}
                        </td>
                      )
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="hint">Highlighted cells changed from the version before.</p>
        </Card>
      )}

      <Card title="History">
        <ol className="history">
          {c.events.map((e) => (
            <li key={e.id}>
              <time dateTime={e.at}>{e.at.replace('T', ' ').slice(0, 16)}</time> · {statusLabel(e.type)} · {e.actor}
              {e.reason ? (
                <>
                  : <q>{e.reason}</q>
                </>
              ) : null}
            </li>
          ))}
        </ol>
      </Card>
    </>
  )
}
