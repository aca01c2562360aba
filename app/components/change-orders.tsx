import type { ReactNode } from 'react'

export interface ChangeOrderRow {
  id: string
  version: number
  budget: string
  endsOn: string
  scope: string
  status: string
  decided: string
}

/** An engagement's budget and scope versions, for the services team and the customer alike. */
export function ChangeOrderTable(props: { rows: ChangeOrderRow[]; actions?: (c: ChangeOrderRow) => ReactNode }) {
  return (
    <table>
      <thead>
        <tr>
          <th>Version</th>
          <th>Budget</th>
          <th>Ends</th>
          <th>Scope</th>
          <th>Decision</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((c) => (
          <tr key={c.id}>
            <td>{c.version}</td>
            <td>{c.budget}</td>
            <td>{c.endsOn}</td>
            <td>{c.scope}</td>
            <td>
              {c.decided}
              {props.actions?.(c)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
