import type { Key, ReactNode } from 'react'
import { EmptyState } from './ui.tsx'

/** One column of a DataTable: its header and how a row fills its cell. */
export interface Column<Row> {
  header: ReactNode
  cell: (row: Row, index: number) => ReactNode
  /** Right-aligned tabular figures (money, counts) in the header and the cells. */
  numeric?: boolean
  /** The header is read by screen readers only (a column of buttons). */
  hideHeader?: boolean
  /** A class for the column's cells: `nowrap` or `date` keep a date on one line. */
  className?: string
  /** The column names its row (`<th scope="row">`), as a status code names a response. */
  rowHeader?: boolean
}

/** A table's columns; a column shown only to some (`canManage && {...}`) may be false. */
export type Columns<Row> = readonly (Column<Row> | false | null | undefined)[]

export interface DataTableProps<Row> {
  rows: readonly Row[]
  columns: Columns<Row>
  /** Shown instead of the table when there are no rows (a string becomes an EmptyState); without it the table shows. */
  empty?: ReactNode
  /** Defaults to the row's `id`. */
  rowKey?: (row: Row, index: number) => Key
  rowProps?: (row: Row) => React.HTMLAttributes<HTMLTableRowElement> & Record<`data-${string}`, string>
  className?: string
  caption?: ReactNode
  /** Rows after the body's own: totals. */
  footer?: ReactNode
  /** No header row: a short list whose cells say what they are. */
  headless?: boolean
  /** A wide table scrolls inside its own box on every screen, not only on phones. */
  scroll?: boolean
  /** Names the table for screen readers where no heading does. */
  label?: string
}

const classOf = (...names: (string | false | undefined)[]) => names.filter(Boolean).join(' ') || undefined

/**
 * The app's one table: a header row, a row per item, numeric columns right-aligned. On a phone the
 * table scrolls inside its own box (app.css, "Phones"), so the page never scrolls sideways.
 */
export function DataTable<Row>({
  rows,
  columns,
  empty,
  rowKey,
  rowProps,
  className,
  caption,
  footer,
  headless,
  scroll,
  label,
}: DataTableProps<Row>) {
  if (rows.length === 0 && empty !== undefined) {
    return typeof empty === 'string' ? <EmptyState>{empty}</EmptyState> : empty
  }
  const shown = columns.filter((c): c is Column<Row> => Boolean(c))
  const keyOf = rowKey ?? ((row: Row, i: number) => (row as { id?: Key }).id ?? i)
  const table = (
    <table className={className} aria-label={label}>
      {caption && <caption>{caption}</caption>}
      {!headless && (
        <thead>
          <tr>
            {shown.map((c, i) => (
              <th key={i} scope="col" className={classOf(c.numeric && 'num')}>
                {c.hideHeader ? <span className="sr-only">{c.header}</span> : c.header}
              </th>
            ))}
          </tr>
        </thead>
      )}
      <tbody>
        {rows.map((row, r) => (
          <tr key={keyOf(row, r)} {...rowProps?.(row)}>
            {shown.map((c, i) => {
              const Cell = c.rowHeader ? 'th' : 'td'
              return (
                <Cell
                  key={i}
                  scope={c.rowHeader ? 'row' : undefined}
                  className={classOf(c.numeric && 'num', c.className)}
                >
                  {c.cell(row, r)}
                </Cell>
              )
            })}
          </tr>
        ))}
        {footer}
      </tbody>
    </table>
  )
  return scroll ? <div className="table-scroll">{table}</div> : table
}

/** A cell's value with a muted line under it (a reason, a detail), the way most tables show one. */
export function withHint(value: ReactNode, hint: ReactNode) {
  return (
    <>
      {value}
      {hint ? <div className="hint">{hint}</div> : null}
    </>
  )
}
