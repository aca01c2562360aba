import type { ReactNode } from 'react'
import { DataTable, type Columns } from './data-table.tsx'
import { DecisionForm } from './decision-form.tsx'
import type { HiddenValues } from './row-actions.tsx'

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
  const decision = (c: ChangeOrderRow) => (
    <>
      {c.decided}
      {props.actions?.(c)}
    </>
  )
  return <DataTable rows={props.rows} columns={[...changeOrderColumns, { header: 'Decision', cell: decision }]} />
}

const changeOrderColumns: Columns<ChangeOrderRow> = [
  { header: 'Version', cell: (c) => c.version },
  { header: 'Budget', cell: (c) => c.budget },
  { header: 'Ends', cell: (c) => c.endsOn },
  { header: 'Scope', cell: (c) => c.scope },
]

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
  const status = (m: MilestoneRow) => (
    <>
      {m.status}
      {m.status === 'delivered' && <div className="hint">{props.deliveredHint(m)}</div>}
      {m.acceptance && <div className="hint">{m.acceptance}</div>}
    </>
  )
  const columns: Columns<MilestoneRow> = [
    { header: '#', cell: (m) => m.seq },
    { header: 'Milestone', cell: (m) => m.title },
    { header: 'Amount', cell: (m) => m.amount },
    props.showDue && { header: 'Due', cell: (m) => m.dueOn ?? '' },
    { header: 'Status', cell: status },
    { header: '', cell: props.actions },
  ]
  return <DataTable rows={props.rows} columns={columns} />
}

/**
 * Approve or Return (with a reason) for a submitted week, wherever the week is listed: the engagement
 * page and the approval queue on the services home post the same fields to their own action.
 */
export function WeekDecision({
  timesheetId,
  person,
  fields,
}: {
  timesheetId: string
  person: string
  fields?: HiddenValues
}) {
  return (
    <DecisionForm
      fields={{ ...fields, intent: 'week', timesheetId }}
      field="action"
      approve={{ value: 'approve', label: 'Approve', ariaLabel: `Approve ${person}'s week` }}
      giveBack={{
        value: 'reject',
        label: 'Return',
        placeholder: 'What to fix',
        reasonLabel: `Why ${person}'s week is returned`,
        required: true,
      }}
    />
  )
}
