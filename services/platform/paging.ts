/**
 * One way to page a long list (issue 29): the page number travels in the URL (?page=2), the service
 * reads one window of rows plus the count of all that match, and the page shows "Showing 51–100 of
 * 1,234" with previous/next links (app/components/pager.tsx). Offset paging: the lists it serves are
 * thousands of rows, not millions, and a person jumps between pages of a filtered view rather than
 * scrolling a feed, so page numbers that survive a reload matter more than keyset stability.
 */
import { z } from 'zod'

export const PAGE_SIZE = 50

/** ?page=… as people and links write it; anything that is not a page number reads as the first page. */
export const pageParam = z.coerce.number().int().min(1).max(1_000_000).catch(1)

/**
 * ?q=… as a person typed it into a list's search box: control characters dropped (PostgreSQL refuses a NUL
 * in text, which was a 500 from a link), trimmed, at most 100 characters; empty reads as no search.
 */
export function searchParam(raw: string | null | undefined): string | undefined {
  return (
    (raw ?? '')
      .replace(/\p{Cc}/gu, '')
      .trim()
      .slice(0, 100) || undefined
  )
}

export interface PageRequest {
  page: number
  pageSize?: number
}

export interface Page<T> {
  rows: T[]
  page: number
  pageSize: number
  total: number
  /** 1-based position of the first and last row shown; 0 and 0 when nothing matches. */
  from: number
  to: number
  pageCount: number
}

/** The rows to skip and take for a page (Prisma's skip/take, SQL's OFFSET/LIMIT). */
export function pageWindow({ page, pageSize = PAGE_SIZE }: PageRequest): { skip: number; take: number } {
  return { skip: (Math.max(1, page) - 1) * pageSize, take: pageSize }
}

/**
 * Wraps one window of rows with what the pager shows. A page past the end (a bookmark after rows
 * went away) is reported as it is, so the pager can offer the way back.
 */
export function toPage<T>(rows: T[], total: number, { page, pageSize = PAGE_SIZE }: PageRequest): Page<T> {
  const from = rows.length ? (page - 1) * pageSize + 1 : 0
  return {
    rows,
    page,
    pageSize,
    total,
    from,
    to: rows.length ? from + rows.length - 1 : 0,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
  }
}

/** Pages a list already in memory (a read model assembled from several queries). */
export function pageOf<T>(all: T[], request: PageRequest): Page<T> {
  const { skip, take } = pageWindow(request)
  return toPage(all.slice(skip, skip + take), all.length, request)
}

/** Reads one page: the window and the total in one round trip each, run together. */
export async function readPage<T>(
  request: PageRequest,
  read: (window: { skip: number; take: number }) => Promise<T[]>,
  count: () => Promise<number>,
): Promise<Page<T>> {
  const [rows, total] = await Promise.all([read(pageWindow(request)), count()])
  return toPage(rows, total, request)
}
