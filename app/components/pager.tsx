import { Link, useLocation } from 'react-router'

export interface PagerProps {
  page: number
  pageCount: number
  total: number
  from: number
  to: number
  /** The search parameter that holds the page number (two lists on one page need two). */
  param?: string
  /** What the rows are, for the count: "events", "partners". */
  noun?: string
}

const count = (n: number) => n.toLocaleString('en-US')

/**
 * "Showing 51–100 of 1,234" with previous and next links that keep the page's other filters in the
 * URL, so a filtered, paged view survives a reload and can be shared (services/platform/paging.ts).
 */
export function Pager({ page, pageCount, total, from, to, param = 'page', noun = 'rows' }: PagerProps) {
  const location = useLocation()
  const href = (p: number) => {
    const params = new URLSearchParams(location.search)
    if (p <= 1) params.delete(param)
    else params.set(param, String(p))
    const q = params.toString()
    return `${location.pathname}${q ? `?${q}` : ''}`
  }
  return (
    <nav className="pager" aria-label={`Pages of ${noun}`}>
      <span className="pager-count" role="status">
        {total === 0
          ? `No ${noun}`
          : from === 0
            ? `Page ${count(page)} is past the end: ${count(total)} ${noun} in all`
            : `Showing ${count(from)}–${count(to)} of ${count(total)} ${noun}`}
      </span>
      {page > 1 && (
        <Link to={href(Math.min(page - 1, pageCount))} rel="prev">
          ← Previous
        </Link>
      )}
      {pageCount > 1 && from !== 0 && (
        <span className="hint">
          Page {count(page)} of {count(pageCount)}
        </span>
      )}
      {page < pageCount && (
        <Link to={href(page + 1)} rel="next">
          Next →
        </Link>
      )}
    </nav>
  )
}
