import type { TermIssue } from '#services/rating/contract-terms.ts'

/**
 * The server's verdict on the draft: its problems, or that it is valid; and what finance must approve.
 * After a refused save (saveFailed) it never says the terms are fine on their own.
 */
export function CheckPanel({
  issues,
  exceptions,
  saveFailed,
}: {
  issues?: TermIssue[]
  exceptions?: string[]
  saveFailed?: boolean
}) {
  return (
    <section className="card">
      <h2>Check</h2>
      {issues?.length ? (
        <div className="alert alert-error">
          <strong>
            {issues.length} problem{issues.length === 1 ? '' : 's'} to fix
          </strong>
          <ul>
            {issues.map((i, k) => (
              <li key={k}>{i.message}</li>
            ))}
          </ul>
        </div>
      ) : exceptions && saveFailed ? (
        <p className="hint">No problems in the terms themselves; the draft is not saved yet.</p>
      ) : exceptions ? (
        <p className="ok">The terms are valid.</p>
      ) : (
        <p className="hint">Checking…</p>
      )}
      {exceptions?.length ? (
        <div className="alert alert-info">
          <strong>Outside the standard price book: finance must approve</strong>
          <ul>
            {exceptions.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  )
}
