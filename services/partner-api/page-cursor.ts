import { z } from 'zod'
import { AppError } from '../platform/errors/app-error.ts'

/** `?cursor=&limit=` of every list in the partner API: at most 100 a page, 50 unless asked. */
export const pageQuerySchema = z.object({
  cursor: z.string().max(200).optional().describe('The nextCursor of the previous page; absent for the first.'),
  limit: z.coerce.number().int().min(1).max(100).default(50).describe('How many items a page holds (1–100).'),
})
export type PageQuery = z.output<typeof pageQuerySchema>

/** Where a page ended: the last item's sort time and id (a tie on time breaks by id). */
export interface PagePosition {
  at: Date
  id: string
}

const positionSchema = z.object({ t: z.iso.datetime(), id: z.string().min(1).max(64) })

/**
 * Cursors are opaque to partners (base64url of the position) so the order can change without a new
 * API version; a cursor that does not decode is the caller's mistake, never a 500.
 */
export function encodeCursor(p: PagePosition): string {
  return Buffer.from(JSON.stringify({ t: p.at.toISOString(), id: p.id })).toString('base64url')
}

export function decodeCursor(cursor: string): PagePosition {
  let raw: unknown
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    raw = null
  }
  const parsed = positionSchema.safeParse(raw)
  if (!parsed.success)
    throw new AppError('invalid_input', 'This cursor is not one the API gave out: pass nextCursor back as it came.', {
      cursor: ['Pass the nextCursor of the previous page unchanged.'],
    })
  return { at: new Date(parsed.data.t), id: parsed.data.id }
}

/** Parses the page query, turning a bad limit into the API's field error. */
export function parsePageQuery(input: unknown): { limit: number; after: PagePosition | null } {
  const parsed = pageQuerySchema.safeParse(input)
  if (!parsed.success)
    throw new AppError('invalid_input', 'limit is a whole number from 1 to 100.', {
      limit: ['A whole number from 1 to 100.'],
    })
  return { limit: parsed.data.limit, after: parsed.data.cursor ? decodeCursor(parsed.data.cursor) : null }
}

/** Newest first, keyset on (time, id): a page is stable while rows are added in front of it. */
export function keysetWhere<K extends string>(key: K, after: PagePosition | null) {
  if (!after) return {}
  return { OR: [{ [key]: { lt: after.at } }, { [key]: after.at, id: { lt: after.id } }] }
}

/** Cuts the one extra row fetched to learn whether another page follows. */
export function pageOf<R extends { id: string }, T>(
  rows: R[],
  limit: number,
  timeOf: (r: R) => Date,
  toItem: (r: R) => T,
): { data: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  return {
    data: page.map(toItem),
    nextCursor: rows.length > limit && last ? encodeCursor({ at: timeOf(last), id: last.id }) : null,
  }
}
