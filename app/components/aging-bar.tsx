import type { ReactNode } from 'react'
import { EmptyState } from './ui.tsx'

export interface AgingBarData {
  currency: string
  totalText: string
  segments: {
    bucket: string
    label: string
    text: string
    invoices: number
    shareBps: number
    href: string
  }[]
}

const invoicesText = (n: number) => `${n.toLocaleString('en-US')} invoice${n === 1 ? '' : 's'}`

/**
 * Open invoices by how late they are, one bar per currency (issue 29): "who owes us and since when" at
 * a glance. Each segment and its legend entry open the invoices of that bucket. The bar is for the
 * eye and the mouse; the legend carries the same links and figures for keyboards and screen readers.
 */
export function AgingBar({
  bars,
  selected,
}: {
  bars: AgingBarData[]
  selected?: { bucket?: string; currency?: string }
}) {
  return (
    <section className="fin-aging" aria-labelledby="fin-aging-title">
      <h2 id="fin-aging-title" className="fin-aging-title">
        Open invoices by days past due
      </h2>
      {bars.length === 0 ? (
        <EmptyState>No open invoice: nobody owes on an invoice.</EmptyState>
      ) : (
        bars.map((b) => (
          <div key={b.currency} className="fin-aging-currency" data-currency={b.currency}>
            <p className="fin-aging-total">
              <strong>{b.totalText}</strong> <span className="fin-code">{b.currency}</span> open
            </p>
            <Bar segments={b.segments} />
            <ul className="fin-aging-legend">
              {b.segments.map((s) => (
                <li key={s.bucket}>
                  <a
                    href={s.href}
                    aria-current={
                      selected?.bucket === s.bucket && selected.currency === b.currency ? 'true' : undefined
                    }
                  >
                    <span className={`fin-aging-key fin-aging-${s.bucket.replace('+', 'plus')}`} aria-hidden="true" />
                    {s.label}: <strong>{s.text}</strong> ({invoicesText(s.invoices)})
                  </a>
                </li>
              ))}
            </ul>
          </div>
        ))
      )}
    </section>
  )
}

/** Segments no narrower than 0.6% and 0.2% apart, so a small late amount stays visible and clickable. */
const MIN_WIDTH = 60
const GAP = 20

/**
 * The stacked bar as SVG: widths are attributes, which the page's content security policy allows
 * where an inline style width would be refused.
 */
function Bar({ segments }: { segments: AgingBarData['segments'] }) {
  const widths = segments.map((s) => Math.max(s.shareBps, MIN_WIDTH))
  const total = widths.reduce((a, w) => a + w, 0) + GAP * (segments.length - 1)
  let x = 0
  return (
    <svg
      className="fin-aging-bar"
      viewBox={`0 0 ${total} 20`}
      preserveAspectRatio="none"
      aria-hidden="true"
      focusable="false"
    >
      {segments.map((s, i) => {
        const at = x
        x += widths[i]! + GAP
        return (
          <a key={s.bucket} href={s.href} tabIndex={-1} data-bucket={s.bucket}>
            <title>{`${s.label}: ${s.text} on ${invoicesText(s.invoices)}`}</title>
            <rect x={at} y="0" width={widths[i]} height="20" className={`fin-aging-${s.bucket.replace('+', 'plus')}`} />
          </a>
        )
      })}
    </svg>
  )
}

export interface OpenInvoiceRow {
  id: string
  partner: string
  partnerHref: string
  invoice: string
  href: string
  currency: string
  due: string | null
  daysLate: number
  remaining: string
}

/** The invoices behind one segment of the bar, oldest due first. */
export function OpenInvoicesTable({
  title,
  rows,
  clearHref,
  pager,
}: {
  title: string
  rows: OpenInvoiceRow[]
  clearHref: string
  pager: ReactNode
}) {
  return (
    <section className="card" id="open-invoices" aria-labelledby="fin-open-invoices">
      <h2 id="fin-open-invoices">{title}</h2>
      <p className="fin-card-actions">
        <a href={clearHref}>Back to all receivables</a>
      </p>
      {rows.length === 0 ? (
        <EmptyState>No open invoice in this bucket.</EmptyState>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Partner</th>
                <th scope="col">Invoice</th>
                <th scope="col">Due</th>
                <th scope="col" className="num">
                  Days late
                </th>
                <th scope="col" className="num">
                  Left to pay
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>
                    <a href={r.partnerHref}>{r.partner}</a>
                  </td>
                  <td>
                    <a href={r.href}>{r.invoice}</a>
                  </td>
                  <td>{r.due ?? 'on receipt'}</td>
                  <td className="num">{r.daysLate}</td>
                  <td className="num">
                    {r.remaining} <span className="fin-code">{r.currency}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pager}
    </section>
  )
}
