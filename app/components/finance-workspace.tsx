import type { ReactNode } from 'react'
import { EmptyState } from './ui.tsx'

/** A finance table as the page shows it: money formatted, numbers right-aligned, account codes small. */
export interface ShownTable {
  name: string
  title: string
  columns: string[]
  numeric: boolean[]
  rows: string[][]
  /** Per row, the account code shown small beside the first cell (trial balance). */
  codes?: string[]
  /** Per row, the page the first cell opens (a partner's open invoices). */
  links?: (string | null)[]
  exportHref: string
}

export function FinanceTable({ t, children }: { t: ShownTable; children?: ReactNode }) {
  return (
    <section className="card" aria-labelledby={`fin-${t.name}`}>
      <h2 id={`fin-${t.name}`}>{t.title}</h2>
      <p className="fin-card-actions">
        <a href={t.exportHref}>Export CSV (decimal amounts)</a>
        {children}
      </p>
      {t.rows.length === 0 ? (
        <EmptyState>Nothing yet.</EmptyState>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                {t.columns.map((c, i) => (
                  <th key={c} scope="col" className={t.numeric[i] ? 'num' : undefined}>
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {t.rows.map((r, k) => (
                <tr key={k}>
                  {r.map((v, i) => (
                    <td key={i} className={t.numeric[i] ? 'num' : undefined}>
                      {i === 0 && t.links?.[k] ? <a href={t.links[k]}>{v}</a> : v}
                      {i === 0 && t.codes?.[k] && <code className="fin-code">{t.codes[k]}</code>}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

export interface HeadlineFigure {
  key: string
  label: string
  amounts: { currency: string; text: string }[]
  computed: string
  /** Where the figure's rows are listed. */
  href?: string
}

/** The figures at the top: each currency apart, and how each is computed on hover or when expanded. */
export function HeadlineStrip({ figures }: { figures: HeadlineFigure[] }) {
  return (
    <section className="fin-kpis" aria-label="Headline figures">
      {figures.map((f) => (
        <div key={f.key} className="fin-kpi" title={f.computed} data-figure={f.key}>
          <div className="fin-kpi-label">{f.href ? <a href={f.href}>{f.label}</a> : f.label}</div>
          <div className={`fin-kpi-value${f.key === 'overdue' && f.amounts.length ? ' fin-alert' : ''}`}>
            {f.amounts.length === 0
              ? '0'
              : f.amounts.map((a) => (
                  <div key={a.currency}>
                    {a.text} <span className="fin-code">{a.currency}</span>
                  </div>
                ))}
          </div>
          <details>
            <summary>How it is computed</summary>
            {f.computed}
          </details>
        </div>
      ))}
    </section>
  )
}

/** Tabs as links (?tab=…), rendered on the server; the current one carries aria-current. */
export function WorkspaceTabs({
  label,
  tabs,
  current,
}: {
  label: string
  tabs: { key: string; label: string; href: string }[]
  current: string
}) {
  return (
    <nav className="fin-tabs" aria-label={label}>
      <ul>
        {tabs.map((t) => (
          <li key={t.key}>
            <a href={t.href} aria-current={t.key === current ? 'page' : undefined}>
              {t.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  )
}
