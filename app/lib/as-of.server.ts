import { bookDay } from '#services/kernel/calendar/months.ts'

const asOfSchema = bookDay('Use a date like 2027-03-31 for asOf.').optional()

/**
 * The `asOf` query parameter of a dated report: an ISO date, or absent (all history). A bad one is a 400 that says why.
 */
export function parseAsOf(request: Request): string | undefined {
  const raw = new URL(request.url).searchParams.get('asOf') || undefined
  const parsed = asOfSchema.safeParse(raw)
  if (!parsed.success) throw new Response(parsed.error.issues[0]!.message, { status: 400 })
  return parsed.data
}

/** The same parameter for a page: a bad one is said beside the form, and the page shows all history. */
export function readAsOf(request: Request): { asOf: string | undefined; problem: string | null } {
  const raw = new URL(request.url).searchParams.get('asOf') || undefined
  const parsed = asOfSchema.safeParse(raw)
  return parsed.success
    ? { asOf: parsed.data, problem: null }
    : { asOf: undefined, problem: `“${raw}” is not a date: use one like 2027-03-31.` }
}
