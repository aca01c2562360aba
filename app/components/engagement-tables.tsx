import type { ReactNode } from 'react'
import { Button, PostForm } from './ui.tsx'

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

export interface MilestoneRow {
  id: string
  seq: number
  title: string
  amount: string
  dueOn: string | null
  status: string
  acceptBy: string | null
  acceptance: string
}

/** A fixed-price engagement's milestones; each audience adds its own hint and actions. */
export function MilestoneTable(props: {
  rows: MilestoneRow[]
  showDue?: boolean
  deliveredHint: (m: MilestoneRow) => string
  actions: (m: MilestoneRow) => ReactNode
}) {
  return (
    <table>
      <thead>
        <tr>
          <th>#</th>
          <th>Milestone</th>
          <th>Amount</th>
          {props.showDue && <th>Due</th>}
          <th>Status</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {props.rows.map((m) => (
          <tr key={m.id}>
            <td>{m.seq}</td>
            <td>{m.title}</td>
            <td>{m.amount}</td>
            {props.showDue && <td>{m.dueOn ?? ''}</td>}
            <td>
              {m.status}
              {m.status === 'delivered' && <div className="hint">{props.deliveredHint(m)}</div>}
              {m.acceptance && <div className="hint">{m.acceptance}</div>}
            </td>
            <td>{props.actions(m)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/**
 * Approve or Return (with a reason) for a submitted week, wherever the week is listed: the engagement
 * page and the approval queue on the services home post the same fields to their own action.
 */
export function WeekDecision({
  timesheetId,
  person,
  hidden,
}: {
  timesheetId: string
  person: string
  hidden?: ReactNode
}) {
  return (
    <div className="actions-row">
      <PostForm>
        {hidden}
        <input type="hidden" name="intent" value="week" />
        <input type="hidden" name="timesheetId" value={timesheetId} />
        <input type="hidden" name="action" value="approve" />
        <Button aria-label={`Approve ${person}'s week`}>Approve</Button>
      </PostForm>
      <PostForm className="row">
        {hidden}
        <input type="hidden" name="intent" value="week" />
        <input type="hidden" name="timesheetId" value={timesheetId} />
        <input type="hidden" name="action" value="reject" />
        <input name="reason" placeholder="What to fix" aria-label={`Why ${person}'s week is returned`} required />
        <Button variant="secondary">Return</Button>
      </PostForm>
    </div>
  )
}
